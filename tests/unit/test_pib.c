/* PIB files: flat and NVM-chain fixtures (built from the notes' layout, valid for open-plc-utils' chkpib)
 * patched for each role read back byte by byte with checksums that verify; corrupt, short, unknown and
 * badly linked files are refused; a file's length from its first bytes (for reading it from a modem). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/core/pib.h"
#include "ccsplc/core/sha256.h"
#include "pib_fixture.h"

static uint8_t file[FIX_NVM_LEN], orig[FIX_NVM_LEN];

/* The role's bytes at the notes' offsets (relative to the PIB image p), everything else as in o. */
static void assert_role(const uint8_t *p, const uint8_t *o, size_t len, const char *hfid, uint8_t mode)
{
    char want[64] = { 0 };
    memcpy(want, hfid, strlen(hfid));
    assert_memory_equal(p + 0x74, want, 64);
    assert_int_equal(p[0xF4], mode);
    assert_int_equal(p[0x1653], mode);
    assert_int_equal(fix_le32(p + 0x1C98), 10240);
    assert_int_equal(fix_le32(p + 0x1C9C), 102400);
    for (size_t i = 0; i < len; i++) {
        int patched = (i >= 0x74 && i < 0x74 + 64) || i == 0xF4 || i == 0x1653 || (i >= 0x1C98 && i < 0x1CA0) ||
                      (i >= 8 && i < 12);
        if (!patched && p[i] != o[i]) fail_msg("byte 0x%zx changed", i);
    }
    hpgp_pib_fields f;
    hpgp_pib_get(p, &(hpgp_pib_view){ .form = HPGP_PIB_FLAT, .off = 0, .len = len }, &f);
    assert_string_equal(f.hfid, hfid);
    assert_int_equal(f.cco_selection, mode);
    assert_int_equal(f.slac_mode, mode);
    assert_int_equal(f.link_low_kbps, 10240);
    assert_int_equal(f.link_high_kbps, 102400);
    assert_memory_equal(f.mac, fix_mac, 6);
}

static void flat_roles(void **state)
{
    (void)state;
    fix_flat(file, FIX_PIB_LEN);
    memcpy(orig, file, FIX_PIB_LEN);
    hpgp_pib_view v;
    assert_int_equal(hpgp_pib_open(file, FIX_PIB_LEN, &v), 0);
    assert_int_equal(v.form, HPGP_PIB_FLAT);
    assert_int_equal(v.off, 0);
    assert_int_equal(v.len, FIX_PIB_LEN);
    assert_int_equal(hpgp_pib_set_role(file, &v, HPGP_PIB_ROLE_PEV), 0);
    assert_int_equal(fix_xor(file, FIX_PIB_LEN), 0xFFFFFFFFu); /* stored checksum = NOT of the rest's XOR */
    assert_role(file, orig, FIX_PIB_LEN, "PEV", 1);
    assert_int_equal(hpgp_pib_set_role(file, &v, HPGP_PIB_ROLE_EVSE), 0);
    assert_int_equal(fix_xor(file, FIX_PIB_LEN), 0xFFFFFFFFu);
    assert_role(file, orig, FIX_PIB_LEN, "EVSE", 2);
    assert_int_equal(hpgp_pib_open(file, FIX_PIB_LEN, &v), 0);
    assert_int_equal(hpgp_pib_set_role(file, &v, 3), CCS_EINVAL);
}

static void nvm_roles(void **state)
{
    (void)state;
    fix_nvm(file);
    memcpy(orig, file, sizeof file);
    hpgp_pib_view v;
    assert_int_equal(hpgp_pib_open(file, sizeof file, &v), 0);
    assert_int_equal(v.form, HPGP_PIB_NVM);
    assert_int_equal(v.off, FIX_PIB_DATA);
    assert_int_equal(v.len, FIX_PIB_LEN);
    assert_int_equal(v.header, FIX_PIB_HDR);
    static const struct { hpgp_pib_role role; const char *hfid; } roles[] = {
        { HPGP_PIB_ROLE_EVSE, "EVSE" }, { HPGP_PIB_ROLE_PEV, "PEV" } };
    for (size_t r = 0; r < 2; r++) {
        assert_int_equal(hpgp_pib_set_role(file, &v, roles[r].role), 0);
        const uint8_t *h = file + FIX_PIB_HDR;
        assert_int_equal(fix_le32(h + 20), ~fix_xor(file + FIX_PIB_DATA, FIX_PIB_LEN)); /* ImageChecksum */
        assert_int_equal(fix_xor(h, FIX_NVM_HDR), 0xFFFFFFFFu);                           /* HeaderChecksum */
        /* the PIB image's own 0x08 checksum is not one the notes ask for in a chain: left as it was */
        assert_memory_equal(file + FIX_PIB_DATA + 8, orig + FIX_PIB_DATA + 8, 4);
        /* inside the image: the role; everything outside the image and its two checksums unchanged */
        uint8_t img[FIX_PIB_LEN];
        memcpy(img, file + FIX_PIB_DATA, sizeof img);
        memcpy(img + 8, orig + FIX_PIB_DATA + 8, 4);
        assert_role(img, orig + FIX_PIB_DATA, FIX_PIB_LEN, roles[r].hfid, (uint8_t)roles[r].role);
        assert_memory_equal(file, orig, FIX_PIB_HDR + 20);
        assert_memory_equal(h + 24, orig + FIX_PIB_HDR + 24, 92 - 24);
        assert_memory_equal(file + FIX_FW_HDR, orig + FIX_FW_HDR, FIX_NVM_LEN - FIX_FW_HDR);
        hpgp_pib_view again;
        assert_int_equal(hpgp_pib_open(file, sizeof file, &again), 0);
    }
}

static void corrupt_refused(void **state)
{
    (void)state;
    hpgp_pib_view v;
    fix_flat(file, FIX_PIB_LEN);
    file[0x1000] ^= 0x40;
    assert_int_equal(hpgp_pib_open(file, FIX_PIB_LEN, &v), CCS_ECHECKSUM);
    fix_flat(file, FIX_PIB_LEN);
    file[9] ^= 1; /* the checksum itself */
    assert_int_equal(hpgp_pib_open(file, FIX_PIB_LEN, &v), CCS_ECHECKSUM);
    fix_flat(file, FIX_PIB_LEN);
    assert_int_equal(hpgp_pib_open(file, FIX_PIB_LEN + 4, &v), CCS_EHEADER); /* length field != size */
    fix_flat(file, 0x1C9C);                                                  /* ends before the link speeds */
    assert_int_equal(hpgp_pib_open(file, 0x1C9C, &v), CCS_ETRUNC);
    fix_flat(file, FIX_PIB_LEN);
    for (size_t n = 0; n < FIX_PIB_LEN; n++)
        if (hpgp_pib_open(file, n, &v) == 0) fail_msg("flat prefix of %zu bytes accepted", n);

    fix_nvm(file);
    file[FIX_PIB_DATA + 0x200] ^= 0x01;
    assert_int_equal(hpgp_pib_open(file, sizeof file, &v), CCS_ECHECKSUM);
    fix_nvm(file);
    file[FIX_PIB_HDR + 40] ^= 0x01; /* a header byte */
    assert_int_equal(hpgp_pib_open(file, sizeof file, &v), CCS_ECHECKSUM);
    fix_nvm(file);
    fix_header(file + FIX_PIB_HDR, 0, FIX_PIB_LEN, FIX_FW_HDR, 0x0004); /* no PIB in the chain */
    assert_int_equal(hpgp_pib_open(file, sizeof file, &v), CCS_ENOTFOUND);
    fix_nvm(file);
    fix_put32(file + 16, 0xFFFFFF00u); /* image longer than the file */
    fix_reseal(file);
    assert_int_equal(hpgp_pib_open(file, sizeof file, &v), CCS_ETRUNC);
    fix_nvm(file);
    for (size_t n = 0; n < sizeof file; n++)
        if (hpgp_pib_open(file, n, &v) == 0) fail_msg("chain prefix of %zu bytes accepted", n);
    assert_int_equal(hpgp_pib_open(NULL, 10, &v), CCS_EINVAL);
}

/* The fixtures hold what chkpib checks in a PIB image: the preferred NID is the NMK's, at the security level of
 * the NID's top nibble. */
static void fixture_keys(void **state)
{
    (void)state;
    uint8_t nid[7];
    fix_flat(file, FIX_PIB_LEN);
    assert_int_equal(hpgp_nid_from_nmk(ccs_sha256_openssl, file + 0x64, file[0xF8 + 6] >> 4, nid), 0);
    assert_memory_equal(nid, file + 0xF8, 7);
}

/* Chain rules as open-plc-utils reads (chkpib, nvmfile2) and builds (nvmmerge) a chain: every header version
 * 1.1; PrevHeader 0xFFFFFFFF first, then the previous header's offset; NextHeader right after the image,
 * 0xFFFFFFFF for the last; the last image ends the file. */
static void nvm_links(void **state)
{
    (void)state;
    static uint8_t big[FIX_NVM_LEN + 8];
    hpgp_pib_view v;
    fix_nvm(file);
    assert_int_equal(hpgp_pib_open(file, sizeof file, &v), 0);
    static const struct { size_t hdr, field; uint32_t value; const char *what; } bad[] = {
        { 0, 32, 0, "first PrevHeader 0" },
        { FIX_PIB_HDR, 32, FIX_LAST, "second PrevHeader not the first header" },
        { FIX_FW_HDR, 32, 0, "third PrevHeader not the second header" },
        { 0, 28, 0x10, "NextHeader inside the image" },
        { 0, 28, FIX_PIB_HDR - 4, "NextHeader before the image's end" },
        { FIX_FW_HDR, 28, 0, "last NextHeader 0" },
        { FIX_FW_HDR, 0, 0x00020001u, "minor version 2" },
        { FIX_PIB_HDR, 0, 0x00010002u, "major version 2" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        fix_nvm(file);
        fix_put32(file + bad[i].hdr + bad[i].field, bad[i].value);
        fix_reseal(file + bad[i].hdr);
        if (hpgp_pib_open(file, sizeof file, &v) != CCS_EHEADER) fail_msg("%s accepted", bad[i].what);
    }
    /* a gap of 4 bytes between the applet and the PIB header, every link and checksum consistent */
    fix_nvm(file);
    memset(big, 0, sizeof big);
    memcpy(big, file, FIX_PIB_HDR);
    memcpy(big + FIX_PIB_HDR + 4, file + FIX_PIB_HDR, FIX_NVM_LEN - FIX_PIB_HDR);
    fix_put32(big + 28, FIX_PIB_HDR + 4);
    fix_reseal(big);
    fix_put32(big + FIX_PIB_HDR + 4 + 28, FIX_FW_HDR + 4);
    fix_reseal(big + FIX_PIB_HDR + 4);
    fix_put32(big + FIX_FW_HDR + 4 + 32, FIX_PIB_HDR + 4);
    fix_reseal(big + FIX_FW_HDR + 4);
    assert_int_equal(hpgp_pib_open(big, FIX_NVM_LEN + 4, &v), CCS_EHEADER);
    /* bytes after the last image */
    memcpy(big, file, FIX_NVM_LEN);
    assert_int_equal(hpgp_pib_open(big, FIX_NVM_LEN + 4, &v), CCS_EHEADER);
}

/* A file's length from its first bytes, as a reader of module 0x7002 needs it: flat from 0x04, a chain from
 * its headers; CCS_ETRUNC until enough is there. */
static void extent_of_head(void **state)
{
    (void)state;
    size_t total = 0;
    fix_flat(file, FIX_PIB_LEN);
    for (size_t n = 0; n < 6; n++) assert_int_equal(hpgp_pib_extent(file, n, &total), CCS_ETRUNC);
    assert_int_equal(hpgp_pib_extent(file, 6, &total), 0);
    assert_int_equal(total, FIX_PIB_LEN);
    file[5] = 0x10; /* 0x1000: shorter than any PIB */
    assert_int_equal(hpgp_pib_extent(file, 6, &total), CCS_EHEADER);
    fix_nvm(file);
    for (size_t n = 0; n <= sizeof file; n++) {
        int rc = hpgp_pib_extent(file, n, &total);
        if (n < FIX_FW_HDR + FIX_NVM_HDR) {
            if (rc != CCS_ETRUNC) fail_msg("%zu bytes of the chain: %d", n, rc);
        } else if (rc != 0 || total != FIX_NVM_LEN) {
            fail_msg("%zu bytes of the chain: %d, total %zu", n, rc, total);
        }
    }
    fix_put32(file + FIX_PIB_HDR, 0x00010002u);
    fix_reseal(file + FIX_PIB_HDR);
    assert_int_equal(hpgp_pib_extent(file, FIX_PIB_HDR + FIX_NVM_HDR, &total), CCS_EHEADER);
}

/* A simulated modem's PIB: a chain of one header and a PIB image that verifies, with MAC, NMK and NID. */
static void init_nvm(void **state)
{
    (void)state;
    static uint8_t pib[HPGP_NVM_HEADER_LEN + HPGP_PIB_MIN_LEN];
    const uint8_t mac[6] = { 2, 0xB0, 0x52, 0, 0, 0x10 };
    assert_int_equal(hpgp_pib_init_nvm(pib, sizeof pib, mac), 0);
    assert_int_equal(fix_le32(pib), 0x00010001u);
    assert_int_equal(fix_le32(pib + 16), HPGP_PIB_MIN_LEN);
    assert_int_equal(fix_le32(pib + 28), FIX_LAST);
    assert_int_equal(fix_le32(pib + 32), FIX_LAST);
    assert_int_equal(fix_le32(pib + 36), 0x000F);
    assert_int_equal(fix_xor(pib, FIX_NVM_HDR), 0xFFFFFFFFu);
    assert_int_equal(fix_le32(pib + 20), ~fix_xor(pib + FIX_NVM_HDR, HPGP_PIB_MIN_LEN));
    assert_memory_equal(pib + FIX_NVM_HDR + 0x0C, mac, 6);
    hpgp_pib_view v;
    assert_int_equal(hpgp_pib_open(pib, sizeof pib, &v), 0);
    assert_int_equal(v.off, FIX_NVM_HDR);
    hpgp_pib_set_key(pib, &v, fix_nmk, fix_nid);
    assert_memory_equal(pib + FIX_NVM_HDR + 0x64, fix_nmk, 16);
    assert_memory_equal(pib + FIX_NVM_HDR + 0xF8, fix_nid, 7);
    assert_int_equal(hpgp_pib_open(pib, sizeof pib, &v), 0);
    assert_int_equal(hpgp_pib_init_nvm(pib, sizeof pib - 4, mac), CCS_EINVAL);
    assert_int_equal(hpgp_pib_init_nvm(pib, sizeof pib + 2, mac), CCS_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(flat_roles),
        cmocka_unit_test(nvm_roles),
        cmocka_unit_test(corrupt_refused),
        cmocka_unit_test(fixture_keys),
        cmocka_unit_test(nvm_links),
        cmocka_unit_test(extent_of_head),
        cmocka_unit_test(init_nvm),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
