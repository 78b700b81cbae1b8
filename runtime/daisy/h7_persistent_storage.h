/*
 * h7_persistent_storage.h — libDaisy's PersistentStorage, kept by h7boot's store.
 *
 * The same class as daisy::PersistentStorage (libDaisy src/util/PersistentStorage.h): the same
 * constructor, methods, State values and "save only when the struct's operator!= says it
 * changed" rule. Swapping it in is one changed line in the app:
 *
 *     daisy::PersistentStorage<Settings> storage(hw.qspi);   // before
 *     h7::PersistentStorage<Settings> storage(hw.qspi);      // after
 *
 * plus one line in the app's Makefile, before libDaisy's (it links the store and the QSPI
 * driver and includes this header for every C++ file):
 *
 *     include $(H7BOOT_DIR)/runtime/daisy/h7_daisy.mk
 *
 * What changes under the hood (docs/store.md, "libDaisy apps"):
 *  - power-safe: Save() appends a new record to h7boot's log-structured store and never erases
 *    the only copy; a power cut at any moment leaves the old or the new settings;
 *  - wear-levelled: saves go round the partition's erase units in a ring; libDaisy erases and
 *    rewrites the same 4 KB sector on every save;
 *  - works in BOOT_QSPI apps: the flash is written through h7boot's app runtime, whose QSPI code
 *    runs from RAM (libDaisy's QSPIHandle refuses to write when the program runs from QSPI).
 *    The QSPIHandle passed in is only kept for the signature: nothing here calls it.
 *
 * Flash layout for address_offset A (masked like libDaisy's: & 0x0FFFFFFF, & ~0xFF):
 *  - [A, A + sizeof(libDaisy's record))  libDaisy's format (state word, then the struct). Read
 *    once, never written: the first Init migrates what it holds (see below);
 *  - [P, P + PartitionBytes), P = A + sizeof(libDaisy's record) rounded up to the next 4 KB
 *    sector: the store's partition (default 64 KB = 16 sectors). Two instances need their
 *    offsets at least 4 KB + PartitionBytes apart.
 *
 * Migration: when the store holds no settings yet and A holds libDaisy's format (a FACTORY or
 * USER state word followed by the struct), Init keeps that struct and that state (GetState()
 * says FACTORY or USER, Migrated() says true) and writes them into the store; the libDaisy copy
 * stays as it is, so a power cut during the migration just migrates again on the next boot.
 *
 * Record in the store: key H7_PS_KEY, value = 32-bit state + the struct's bytes. A stored
 * struct of another size (the app added fields) is copied over the defaults as far as it goes.
 *
 * The flash comes from h7_daisy_flash() (runtime/daisy/daisy_flash.c on the Daisy Seed; host
 * tests provide their own). Init refuses (GetError() = H7_STORE_EINVAL, defaults in RAM, no
 * write) a partition over h7_daisy_flash_reserved(): the app's own image in the QSPI slot. SettingStruct must be trivially copyable and at most
 * H7_STORE_VALUE_MAX - 4 bytes (1020 by default).
 */
#ifndef H7_PERSISTENT_STORAGE_H
#define H7_PERSISTENT_STORAGE_H

#ifdef __cplusplus /* h7_daisy.mk includes this file in C files too: nothing there */

#include <stdint.h>
#include <string.h>

#include <type_traits>

extern "C" {
#include "h7_store.h"
}
#include "h7_daisy_flash.h" /* h7_daisy_flash(): the flash the settings live in */

namespace daisy
{
class QSPIHandle;
}

namespace h7
{
/* The store key of the settings record. */
static const uint32_t H7_PS_KEY = 0x5E77u;

template <typename SettingStruct, uint32_t PartitionBytes = 64u * 1024u>
class PersistentStorage
{
  public:
    /* libDaisy's values: UNKNOWN before Init, FACTORY for defaults, USER once saved. */
    enum class State
    {
        UNKNOWN = 0,
        FACTORY = 1,
        USER    = 2,
    };

    PersistentStorage(daisy::QSPIHandle &qspi)
    : qspi_(qspi), default_settings_(), settings_(), state_(State::UNKNOWN)
    {
    }

    /* The store keeps pointers into this object: it cannot be copied. */
    PersistentStorage(const PersistentStorage &)            = delete;
    PersistentStorage &operator=(const PersistentStorage &) = delete;

    /* Load the settings kept at address_offset, or migrate libDaisy's record found there, or
     * store the defaults (state FACTORY). */
    void Init(const SettingStruct &defaults, uint32_t address_offset = 0)
    {
        (void)&qspi_;
        default_settings_ = defaults;
        settings_         = defaults;
        migrated_         = false;
        address_offset_   = (address_offset & 0x0FFFFFFFu) & ~0xFFu;
        error_            = Mount();
        if(error_ != H7_STORE_OK)
        {
            state_ = State::FACTORY; /* libDaisy has no error path: defaults, in RAM only */
            return;
        }
        if(LoadRecord())
            return;
        LegacyRecord old;
        if(ReadLegacy(&old))
        {
            settings_ = old.user_data;
            state_    = old.storage_state;
            migrated_ = true;
            error_    = Write(); /* the libDaisy copy stays until this lands */
            return;
        }
        state_ = State::FACTORY;
        StoreSettingsIfChanged();
    }

    State GetState() const { return state_; }

    SettingStruct &GetSettings() { return settings_; }

    /* Store the settings as USER settings if they differ (operator!=) from the stored ones. */
    void Save()
    {
        state_ = State::USER;
        StoreSettingsIfChanged();
    }

    /* Back to the defaults, stored as FACTORY settings (if they differ from the stored ones). */
    void RestoreDefaults()
    {
        settings_ = default_settings_;
        state_    = State::FACTORY;
        StoreSettingsIfChanged();
    }

    /* Beyond libDaisy's API: */
    /* true when Init took the settings from libDaisy's format at address_offset. */
    bool Migrated() const { return migrated_; }
    /* 0, or the store/flash error (h7_store.h) of the last Init/Save/RestoreDefaults. */
    int GetError() const { return error_; }
    /* Where the store's partition lies (QSPI byte offsets). */
    uint32_t PartitionOffset() const { return PartitionStart(address_offset_); }
    /* true when the next Save may have to erase a sector (~45 ms): call Maintain() first,
     * in idle time, outside the audio callback. */
    bool NeedsMaintenance() const { return mounted_ && h7_store_gc_needed(&store_) > 0; }
    /* At most one sector erase of garbage collection. */
    void Maintain()
    {
        if(mounted_)
            error_ = h7_store_gc_step(&store_);
    }

  private:
    static_assert(std::is_trivially_copyable<SettingStruct>::value,
                  "settings are stored as their bytes: SettingStruct must be trivially "
                  "copyable");
    static_assert(sizeof(SettingStruct) + 4u <= H7_STORE_VALUE_MAX,
                  "SettingStruct is larger than one store record (H7_STORE_VALUE_MAX - 4)");
    static_assert(PartitionBytes % 4096u == 0 && PartitionBytes >= 4u * 4096u,
                  "PartitionBytes: a multiple of 4 KB, at least 16 KB (4 sectors)");

    /* libDaisy's on-flash record, the same declaration as its SaveStruct, so the same layout. */
    struct LegacyRecord
    {
        State         storage_state;
        SettingStruct user_data;
    };

    static uint32_t PartitionStart(uint32_t offset)
    {
        const uint32_t sector = 4096u;
        uint32_t       end    = offset + (uint32_t)sizeof(LegacyRecord);
        return (end + sector - 1u) / sector * sector;
    }

    static bool ValidState(uint32_t s)
    {
        return s == (uint32_t)State::FACTORY || s == (uint32_t)State::USER;
    }

    int Mount()
    {
        mounted_ = false;
        flash_   = h7_daisy_flash();
        if(!flash_)
            return H7_FLASH_EIO;
        struct h7_store_config cfg;
        memset(&cfg, 0, sizeof cfg);
        cfg.flash          = flash_;
        cfg.offset         = PartitionStart(address_offset_);
        cfg.size           = PartitionBytes;
        cfg.unit_size      = flash_->erase_size;
        cfg.index          = index_;
        cfg.index_capacity = sizeof index_ / sizeof index_[0];
        if(cfg.offset > flash_->size || cfg.size > flash_->size - cfg.offset)
            return H7_STORE_EINVAL;
        /* Never over the running app's own image (an address_offset inside the app slot). */
        uint32_t lo = 0, hi = 0;
        h7_daisy_flash_reserved(&lo, &hi);
        if(lo < hi && cfg.offset < hi && lo < cfg.offset + cfg.size)
            return H7_STORE_EINVAL;
        int rc = h7_store_mount(&store_, &cfg);
        /* Another store format in our partition: it is ours, start it afresh (as libDaisy
         * writes its defaults over whatever it does not recognise). */
        if(rc == H7_STORE_EFORMAT)
            rc = h7_store_format(&store_, &cfg);
        mounted_ = rc == H7_STORE_OK;
        return rc;
    }

    /* The stored record into settings_/state_; false when there is none. */
    bool LoadRecord()
    {
        uint32_t state = 0, len = 0;
        int      rc = h7_store_get(&store_, H7_PS_KEY, &state, sizeof state, &len);
        if(rc != H7_STORE_OK || len < sizeof state || !ValidState(state))
            return false;
        uint32_t body = len - (uint32_t)sizeof state;
        if(body > sizeof(SettingStruct))
            body = sizeof(SettingStruct);
        rc = h7_store_read(&store_, H7_PS_KEY, sizeof state, &settings_, body, &len);
        if(rc != H7_STORE_OK)
        {
            settings_ = default_settings_;
            error_    = rc;
            return false;
        }
        state_ = (State)state;
        return true;
    }

    bool ReadLegacy(LegacyRecord *old) const
    {
        uint32_t off = address_offset_;
        if(off > flash_->size || sizeof *old > flash_->size - off)
            return false;
        if(h7_flash_read(flash_, off, old, sizeof *old) != H7_FLASH_OK)
            return false;
        uint32_t state;
        memcpy(&state, &old->storage_state, sizeof state);
        return ValidState(state);
    }

    int Write()
    {
        uint32_t state = (uint32_t)state_;
        return h7_store_set2(&store_, H7_PS_KEY, &state, sizeof state, &settings_,
                             sizeof(SettingStruct));
    }

    /* libDaisy's rule: write state and settings only when the settings differ (operator!=)
     * from the stored ones; nothing stored yet counts as different. */
    void StoreSettingsIfChanged()
    {
        if(!mounted_)
            return;
        SettingStruct stored = default_settings_;
        uint32_t      len    = 0;
        int rc = h7_store_read(&store_, H7_PS_KEY, 4u, &stored, sizeof stored, &len);
        bool have = rc == H7_STORE_OK && len == 4u + sizeof(SettingStruct);
        if(have && !(settings_ != stored))
        {
            error_ = H7_STORE_OK;
            return;
        }
        error_ = Write();
    }

    daisy::QSPIHandle     &qspi_;
    uint32_t               address_offset_ = 0;
    SettingStruct          default_settings_;
    SettingStruct          settings_;
    State                  state_;
    bool                   migrated_ = false;
    bool                   mounted_  = false;
    int                    error_    = 0;
    const struct h7_flash *flash_    = nullptr;
    struct h7_store        store_;
    struct h7_store_entry  index_[2];
};

} // namespace h7

#endif /* __cplusplus */
#endif /* H7_PERSISTENT_STORAGE_H */
