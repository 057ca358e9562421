/* ccsplc modem pib read|show|role|write: PIB files between the modem, the disk and the role patch. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_io.h"
#include "ccsplc/core/errors.h"
#include "ccsplc/linux/log.h"
#include "ccsplc/core/pib.h"
#include "commands.h"
#include "modem_cli.h"

static int save(const char *path, const uint8_t *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    int ok = f && fwrite(data, 1, len, f) == len;
    if (f && fclose(f)) ok = 0;
    if (!ok) LOG_E("modem pib: cannot write %s", path);
    return ok ? 0 : CCS_EIO;
}

/* Read a PIB file and verify it; logs why it is refused. The buffer is malloc'd (caller frees). */
static uint8_t *load(const char *path, size_t *len, hpgp_pib_view *v, int *rc)
{
    uint8_t *buf = (uint8_t *)app_read_all(path, len);
    *rc = buf ? hpgp_pib_open(buf, *len, v) : CCS_EIO;
    if (*rc) {
        LOG_E("modem pib: %s: %s", path, buf ? ccs_strerror(*rc) : "cannot read");
        if (buf) LOG_E("modem pib: not a PIB this tool knows (flat PIB or NVM chain with a PIB image); refused");
        free(buf);
        return NULL;
    }
    return buf;
}

static void hex(const char *key, const uint8_t *p, size_t n)
{
    printf("%s=", key);
    for (size_t i = 0; i < n; i++) printf("%02X", p[i]);
    printf("\n");
}

static int show(const char *path)
{
    size_t len;
    hpgp_pib_view v;
    int rc;
    uint8_t *buf = load(path, &len, &v, &rc);
    if (!buf) return rc;
    hpgp_pib_fields f;
    hpgp_pib_get(buf, &v, &f);
    static const char *const cco[] = { "auto", "never", "always" };
    static const char *const slac[] = { "off", "PEV", "EVSE" };
    char mac[CCS_MAC_TEXT];
    printf("form=%s\nimage_offset=%zu\nimage_length=%zu\n", v.form == HPGP_PIB_FLAT ? "flat" : "nvm", v.off, v.len);
    printf("mac=%s\n", ccs_mac_format(f.mac, mac));
    printf("hfid=%s\n", f.hfid);
    printf("cco_selection=%u (%s)\n", f.cco_selection, f.cco_selection < 3 ? cco[f.cco_selection] : "?");
    printf("slac_mode=%u (%s)\n", f.slac_mode, f.slac_mode < 3 ? slac[f.slac_mode] : "?");
    printf("link_speed_low_kbps=%u\nlink_speed_high_kbps=%u\n", f.link_low_kbps, f.link_high_kbps);
    hex("nmk", f.nmk, sizeof f.nmk);
    hex("preferred_nid", f.nid, sizeof f.nid);
    free(buf);
    return 0;
}

static int role(const char *name, hpgp_pib_role r, const char *in, const char *out)
{
    size_t len;
    hpgp_pib_view v;
    int rc;
    uint8_t *buf = load(in, &len, &v, &rc);
    if (!buf) return rc;
    rc = hpgp_pib_set_role(buf, &v, r);
    if (!rc) rc = save(out, buf, len);
    if (!rc) LOG_I("modem pib: %s -> %s configured as %s, checksums recomputed", in, out, name);
    free(buf);
    return rc;
}

static int read_pib(const modem_args *a)
{
    static modem_conn m = { .link.fd = -1 };
    uint8_t *buf = malloc(HPGP_PIB_MAX_LEN);
    size_t len = 0;
    hpgp_pib_view v;
    int rc = buf ? modem_cli_open(a, &m) : CCS_ENOSPC;
    if (!rc) rc = modem_pib_read(&m.c, buf, HPGP_PIB_MAX_LEN, &len);
    if (!rc) rc = save(a->out, buf, len);
    if (rc) LOG_E("modem pib read: %s", ccs_strerror(rc));
    else if ((rc = hpgp_pib_open(buf, len, &v)) != 0) LOG_E("modem pib read: saved, but the image is bad: %s", ccs_strerror(rc));
    else LOG_I("modem pib read: %zu bytes to %s", len, a->out);
    modem_cli_close(&m);
    free(buf);
    return rc;
}

static int write_pib(const modem_args *a)
{
    static modem_conn m = { .link.fd = -1 };
    size_t len;
    hpgp_pib_view v;
    int rc;
    uint8_t *buf = load(a->pos[0], &len, &v, &rc);
    if (!buf) return rc;
    rc = modem_cli_open(a, &m);
    if (!rc) rc = modem_pib_write(&m.c, buf, len);
    if (rc) LOG_E("modem pib write: %s", ccs_strerror(rc));
    else LOG_I("modem pib write: committed; reset the modem to use it (ccsplc modem configure does)");
    modem_cli_close(&m);
    free(buf);
    return rc;
}

int modem_pib_cli(int argc, char **argv)
{
    modem_args a;
    if (argc < 2 || modem_parse_args(argc - 1, argv + 1, &a, 0)) {
        modem_cli_usage(stderr);
        return CCS_EXIT_USAGE;
    }
    const char *sub = argv[1];
    int rc;
    hpgp_pib_role r;
    if (!strcmp(sub, "read") && a.ifname && a.out && !a.npos) rc = read_pib(&a);
    else if (!strcmp(sub, "show") && a.npos == 1) rc = show(a.pos[0]);
    else if (!strcmp(sub, "role") && a.npos == 2 && a.out && !modem_cli_role(a.pos[0], &r))
        rc = role(a.pos[0], r, a.pos[1], a.out);
    else if (!strcmp(sub, "write") && a.ifname && a.npos == 1) rc = write_pib(&a);
    else {
        modem_cli_usage(stderr);
        return CCS_EXIT_USAGE;
    }
    return rc ? CCS_EXIT_FAIL : CCS_EXIT_OK;
}
