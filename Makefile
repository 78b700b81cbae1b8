# h7boot — thin driver over the CMake build trees (see CMakeLists.txt for what each holds).
#   make         build everything (host tools + tests, QEMU and Daisy Seed firmware)
#   make test    every test, through CTest, in every tree; non-zero exit on any failure
#   make demo    the main job on the QEMU Cortex-M7 board
#   make bench   benchmarks (optimised host build + firmware sizes and boot cost)
#   make fuzz    every libFuzzer target for FUZZ_SECONDS each (default 60)
#   make deps    install missing Debian packages (tools/deps.txt)
#   make clean   remove build/
HOST  := build/host
BENCH := build/bench
QEMU  := build/qemu-mps2-an500
DAISY := build/daisy-seed
FIRMWARE_TREES := $(QEMU) $(DAISY)
JOBS  ?= $(shell nproc 2>/dev/null || echo 2)
FUZZ_SECONDS ?= 60
CMAKE_GEN := -G Ninja

.PHONY: all deps host bench-host firmware test demo bench fuzz clean

all: host firmware

deps:
	@tools/deps.sh

$(HOST)/build.ninja:
	cmake -S . -B $(HOST) $(CMAKE_GEN) -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug

host: $(HOST)/build.ninja
	cmake --build $(HOST) -j $(JOBS)

# A firmware tree per board; each uses the host tree's boardgen and h7boot.
build/%/build.ninja: | host
	cmake -S . -B build/$* $(CMAKE_GEN) -DCMAKE_TOOLCHAIN_FILE=cmake/arm-none-eabi.cmake \
	      -DH7_BOARD=$* -DH7_HOST_BIN_DIR=$(CURDIR)/$(HOST)/bin

firmware: host $(QEMU)/build.ninja $(DAISY)/build.ninja
	cmake --build $(QEMU) -j $(JOBS)
	cmake --build $(DAISY) -j $(JOBS)

test: deps
	@$(MAKE) --no-print-directory all
	@tools/run-tests.sh $(HOST) $(FIRMWARE_TREES)

demo: deps
	@$(MAKE) --no-print-directory all
	@cmake --build $(QEMU) --target demo

$(BENCH)/build.ninja:
	cmake -S . -B $(BENCH) $(CMAKE_GEN) -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Release \
	      -DH7_SANITIZE=OFF

bench: deps
	@$(MAKE) --no-print-directory all $(BENCH)/build.ninja
	cmake --build $(BENCH) -j $(JOBS)
	cmake --build $(BENCH) --target bench
	cmake --build $(QEMU) --target bench
	cmake --build $(DAISY) --target bench

fuzz: deps host
	cmake -S . -B $(HOST) -DH7_FUZZ_SECONDS=$(FUZZ_SECONDS)
	cmake --build $(HOST) --target fuzz

clean:
	rm -rf build
