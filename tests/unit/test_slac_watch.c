/* slac_watch (ISO 15118-3 RunID rule for a bystander) over every shared capture: the messages it flags are exactly
 * those whose RunID, as tshark's HomePlug AV dissector reads it, is not the one of the last CM_SLAC_PARAM.REQ; the
 * Taycan capture (the charger answered with a RunID of its own) has such messages, and only its CNFs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "captures.h"
#include "ccsplc/core/slac_watch.h"

#define MAX_FRAMES 8192

typedef struct {
    slac_watch w;
    uint8_t flagged[MAX_FRAMES]; /* 1: the watch said another RunID */
    uint8_t cnf[MAX_FRAMES];     /* a CM_SLAC_PARAM.CNF */
} run;

static int on_frame(void *ctx, unsigned no, const struct pcap_pkthdr *h, const uint8_t *d)
{
    run *r = ctx;
    hpgp_msg m;
    if (no >= MAX_FRAMES || hpgp_unpack(d, h->caplen, &m))
        return 0;
    r->flagged[no] = slac_watch_msg(&r->w, &m) == 0;
    r->cnf[no] = m.kind == HPGP_K_SLAC_PARAM_CNF;
    return 0;
}

/* The frames tshark shows with another RunID than the last CM_SLAC_PARAM.REQ's (0x6064). */
static unsigned expected(const char *path, uint8_t *want)
{
    FILE *f = tu_tshark(path, "-Y homeplug-av -T fields -E occurrence=f -e frame.number -e homeplug_av.mmhdr.mmtype "
                              "-e homeplug_av.gp.cm_slac_parm.runid -e homeplug_av.gp.cm_atten_char.runid "
                              "-e homeplug_av.gp.cm_start_atten_char.runid -e homeplug_av.gp.cm_mnbc_sound.runid "
                              "-e homeplug_av.gp.cm_slac_match.runid");
    assert_non_null(f);
    char line[1024], run_id[64] = "";
    unsigned n = 0;
    while (fgets(line, sizeof line, f)) {
        unsigned no;
        char type[16], id[64] = "";
        char *tab = line, *fields[7] = {0};
        for (int i = 0; i < 7 && tab; i++) {
            fields[i] = tab;
            tab = strchr(tab, '\t');
            if (tab)
                *tab++ = 0;
        }
        for (int i = 2; i < 7; i++)
            if (fields[i] && fields[i][0] && fields[i][0] != '\n')
                snprintf(id, sizeof id, "%.*s", (int)strcspn(fields[i], "\n"), fields[i]);
        if (sscanf(fields[0], "%u", &no) != 1 || sscanf(fields[1], "%15s", type) != 1 || !id[0] || no >= MAX_FRAMES)
            continue;
        if (!strcmp(type, "0x6064"))
            snprintf(run_id, sizeof run_id, "%s", id);
        else if (run_id[0] && strcmp(id, run_id)) {
            want[no] = 1;
            n++;
        }
    }
    pclose(f);
    return n;
}

static void every_capture(void **state)
{
    (void)state;
    if (!tu_have_tshark())
        skip();
    glob_t g;
    assert_int_equal(tu_captures(&g), 0);
    static run r;
    static uint8_t want[MAX_FRAMES];
    unsigned taycan = 0;
    for (size_t i = 0; i < g.gl_pathc; i++) {
        memset(&r, 0, sizeof r);
        memset(want, 0, sizeof want);
        unsigned n = expected(g.gl_pathv[i], want);
        assert_int_equal(tu_each_frame(g.gl_pathv[i], on_frame, &r), 0);
        for (unsigned no = 1; no < MAX_FRAMES; no++) {
            if (r.flagged[no] != want[no])
                fail_msg("%s frame %u: watch says %d, tshark's RunIDs %d", tu_basename(g.gl_pathv[i]), no,
                         r.flagged[no], want[no]);
            if (strstr(g.gl_pathv[i], "slacFail") && r.flagged[no])
                assert_true(r.cnf[no]); /* the charger's answers carry its own RunID */
        }
        if (strstr(g.gl_pathv[i], "slacFail"))
            taycan = n;
    }
    globfree(&g);
    assert_true(taycan > 0);
}

/* RunIDs of every SLAC kind; a message before any run, or without a RunID, is not judged. */
static void kinds(void **state)
{
    (void)state;
    slac_watch w = {0};
    hpgp_msg m;
    static const uint8_t car[6] = {2, 0, 0, 0, 0, 1}, evse[6] = {2, 0, 0, 0, 0, 2};
    hpgp_msg_init(&m, HPGP_K_SLAC_PARAM_CNF, car, evse);
    assert_int_equal(slac_watch_msg(&w, &m), -1);
    hpgp_msg_init(&m, HPGP_K_SLAC_PARAM_REQ, hpgp_broadcast_mac, car);
    memset(m.u.slac_param_req.run_id, 7, HPGP_RUN_ID_LEN);
    assert_int_equal(slac_watch_msg(&w, &m), 1);
    hpgp_msg_init(&m, HPGP_K_SLAC_MATCH_CNF, car, evse);
    memset(m.u.slac_match.run_id, 7, HPGP_RUN_ID_LEN);
    assert_int_equal(slac_watch_msg(&w, &m), 1);
    m.u.slac_match.run_id[3] = 8;
    assert_int_equal(slac_watch_msg(&w, &m), 0);
    assert_ptr_equal(hpgp_run_id(&m), m.u.slac_match.run_id);
    hpgp_msg_init(&m, HPGP_K_VALIDATE_REQ, evse, car);
    assert_null(hpgp_run_id(&m));
    assert_int_equal(slac_watch_msg(&w, &m), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_capture),
        cmocka_unit_test(kinds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
