/* PIB files: flat and NVM-chain fixtures (built from the notes' layout) patched for each role read back
 * byte by byte with checksums that verify; corrupt, short and unknown files are refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "ccsplc/errors.h"
#include "ccsplc/pib.h"
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
    fix_header(file + FIX_PIB_HDR, FIX_PIB_DATA, FIX_PIB_LEN, FIX_FW_HDR, 0x0004); /* no PIB in the chain */
    assert_int_equal(hpgp_pib_open(file, sizeof file, &v), CCS_ENOTFOUND);
    fix_nvm(file);
    fix_put32(file + 28, 0x10); /* next header inside the first image */
    fix_reseal(file);
    assert_int_equal(hpgp_pib_open(file, sizeof file, &v), CCS_EHEADER);
    fix_nvm(file);
    fix_put32(file + 16, 0xFFFFFF00u); /* image longer than the file */
    fix_reseal(file);
    assert_int_equal(hpgp_pib_open(file, sizeof file, &v), CCS_ETRUNC);
    fix_nvm(file);
    for (size_t n = 0; n < sizeof file; n++)
        if (hpgp_pib_open(file, n, &v) == 0) fail_msg("chain prefix of %zu bytes accepted", n);
    assert_int_equal(hpgp_pib_open(NULL, 10, &v), CCS_EINVAL);
}

static void init_flat(void **state)
{
    (void)state;
    static uint8_t pib[HPGP_PIB_MIN_LEN];
    const uint8_t mac[6] = { 2, 0xB0, 0x52, 0, 0, 0x10 };
    assert_int_equal(hpgp_pib_init_flat(pib, sizeof pib, mac), 0);
    assert_int_equal(fix_le32(pib + 4) & 0xFFFF, HPGP_PIB_MIN_LEN);
    assert_int_equal(fix_xor(pib, sizeof pib), 0xFFFFFFFFu);
    assert_memory_equal(pib + 0x0C, mac, 6);
    hpgp_pib_view v;
    assert_int_equal(hpgp_pib_open(pib, sizeof pib, &v), 0);
    assert_int_equal(hpgp_pib_init_flat(pib, HPGP_PIB_MIN_LEN - 4, mac), CCS_EINVAL);
    assert_int_equal(hpgp_pib_init_flat(pib, HPGP_PIB_MIN_LEN + 2, mac), CCS_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(flat_roles),
        cmocka_unit_test(nvm_roles),
        cmocka_unit_test(corrupt_refused),
        cmocka_unit_test(init_flat),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
