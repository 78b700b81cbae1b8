#!/usr/bin/env python3
"""Prove each QEMU boot test depends on the check it is named after (run by hand, not by CTest).

For each test: disable its check in the source (one line, `if (x)` -> `if (0 && x)`), rebuild the
bootloader, run the test, expect it to FAIL, restore the source. Prints one line per test. The
valid-boot test is checked twice: without the zero fill, and with SDRAM written before its init.
    tests/qemu-boot/check_tests_bite.py          (after `make`; touches no file it does not restore)
"""
import os, subprocess
root = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
M=[
 ('qemu_boot_refuse_header','image/image_parse.c','H7_IMAGE_E_FORMAT_VERSION, H7_IMAGE_FORMAT_VERSION,\n     H7_IMAGE_FORMAT_VERSION},','H7_IMAGE_E_FORMAT_VERSION, 0,\n     0xFFFF},'),
 ('qemu_boot_refuse_header-crc','image/image_parse.c','    if (value != h7_crc32(0, p, H7_IMAGE_OFF_HEADER_CRC))','    if (0 && value != h7_crc32(0, p, H7_IMAGE_OFF_HEADER_CRC))'),
 ('qemu_boot_refuse_segtable','image/image_parse.c','        if (s->kind != H7_SEG_COPY && s->kind != H7_SEG_ZERO && s->kind != H7_SEG_XIP)','        if (0 && s->kind != H7_SEG_COPY && s->kind != H7_SEG_ZERO && s->kind != H7_SEG_XIP)'),
 ('qemu_boot_refuse_payload','boot/image.c','    if (!e)\n        return H7_BOOT_OK;','    if (1)\n        return H7_BOOT_OK;'),
 ('qemu_boot_refuse_commit','boot/image.c','    if (!h7_image_is_committed(commit)) {','    if (0 && !h7_image_is_committed(commit)) {'),
 ('qemu_boot_refuse_truncate','boot/image.c','    if (!h7_image_is_committed(commit)) {','    if (0 && !h7_image_is_committed(commit)) {'),
 ('qemu_boot_refuse_reserved','image/image_board.c','        if (h7_board_reserved_overlap(board, addr, len))','        if (0 && h7_board_reserved_overlap(board, addr, len))'),
 ('qemu_boot_refuse_outside','image/image_board.c','        if (!r || (r->flags & (H7_REGION_LOAD | H7_REGION_RAM)) != (H7_REGION_LOAD | H7_REGION_RAM))','        if (0 && (!r || (r->flags & (H7_REGION_LOAD | H7_REGION_RAM)) != (H7_REGION_LOAD | H7_REGION_RAM)))'),
 ('qemu_boot_refuse_overlap','image/image_parse.c','            if (s->dest <= o->dest + o->size - 1 && o->dest <= last)','            if (0 && s->dest <= o->dest + o->size - 1 && o->dest <= last)'),
 ('qemu_boot_request_word','boot/decide.c','    if (request == H7_BOOT_REQ_STAY)','    if (0 && request == H7_BOOT_REQ_STAY)'),
 ('qemu_boot_unconfirmed','boot/decide.c','    if (c->max_unconfirmed && h7_boot_attempts(info) >= c->max_unconfirmed)','    if (0 && c->max_unconfirmed && h7_boot_attempts(info) >= c->max_unconfirmed)'),
 ('qemu_boot_button','boot/decide.c','    if (p->button_held(p->ctx))','    if (0 && p->button_held(p->ctx))'),
 ('qemu_boot_valid','ports/stm32h750/hash.c','    if (!looks_present(u)) {','    if (0 && !looks_present(u)) {'),
 ('qemu_boot_valid','boot/load.c','            memset(dst, 0, s->size);','            (void)0;'),
 # SDRAM "initialised" again after each segment = written before its init: the scrubbed init
 # destroys what was copied/zeroed, and the app sees it.
 ('qemu_boot_valid','boot/load.c','        h7_boot_emit(p, H7_EV_SEGMENT,','        if (r->init)\n            p->ram_init(p->ctx, r);\n        h7_boot_emit(p, H7_EV_SEGMENT,'),
]
for test,f,old,new in M:
    path=f'{root}/{f}'; src=open(path).read()
    if old not in src:
        print(f'{test}: PATTERN NOT FOUND in {f}'); continue
    open(path,'w').write(src.replace(old,new,1))
    try:
        b=subprocess.run(['ninja','-C',f'{root}/build/qemu-mps2-an500','h7boot_qemu'],capture_output=True,text=True)
        if b.returncode: print(f'{test}: build failed\n{b.stdout[-2000:]}'); continue
        r=subprocess.run(['ctest','--test-dir',f'{root}/build/qemu-mps2-an500','-R',f'^{test}$','--output-on-failure'],capture_output=True,text=True)
        fails=[l for l in r.stdout.splitlines() if 'FAIL' in l and 'run-qemu' in l]
        print(f'{test}: with the check removed -> {"FAILS (good)" if r.returncode else "STILL PASSES (bad)"}; {"; ".join(fails[:2])}')
    finally:
        open(path,'w').write(src)
subprocess.run(['ninja','-C',f'{root}/build/qemu-mps2-an500','h7boot_qemu'],capture_output=True)
