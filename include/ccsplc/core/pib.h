/* QCA modem PIB (parameter information block) files, sans-I/O: recognise the flat and the NVM-chain form,
 * verify and recompute their checksums and chain links, tell a file's length from its first bytes, read the
 * fields a CCS host cares about, patch them for a role or a key. */
#ifndef CCSPLC_PIB_H
#define CCSPLC_PIB_H

#include <stddef.h>
#include <stdint.h>

#include "ccsplc/core/hpgp.h"

/* Offsets inside the PIB image (HOMEPLUG-NOTES.md; length and checksum per the flat PIB header). */
#define HPGP_PIB_OFF_LENGTH 0x04u     /* LE16: image length (flat form) */
#define HPGP_PIB_OFF_CHECKSUM 0x08u   /* LE32: checksum32 of the image with this field taken as 0 (flat form) */
#define HPGP_PIB_OFF_MAC 0x0Cu
#define HPGP_PIB_OFF_NMK 0x64u
#define HPGP_PIB_OFF_HFID 0x74u       /* user HFID, NUL-padded text */
#define HPGP_PIB_HFID_LEN 64u
#define HPGP_PIB_OFF_CCO 0xF4u        /* CCo selection: 0 auto, 1 never, 2 always */
#define HPGP_PIB_OFF_NID 0xF8u        /* preferred NID */
#define HPGP_PIB_OFF_SLAC 0x1653u     /* SLAC enable mode: 1 PEV, 2 EVSE */
#define HPGP_PIB_OFF_LINK_LOW 0x1C98u /* LE32 kbit/s */
#define HPGP_PIB_OFF_LINK_HIGH 0x1C9Cu
#define HPGP_PIB_MIN_LEN 0x1CA0u      /* every field above lies inside */
#define HPGP_PIB_MAX_LEN 0xFFFFu      /* the flat length field is 16 bits */

/* NVM chain files: 96-byte image headers (open-plc-utils' nvm_header2), each followed by its image. */
#define HPGP_NVM_SIGNATURE 0x00010001u /* first dword of every header: MajorVersion 1, MinorVersion 1 */
#define HPGP_NVM_HEADER_LEN 96u
#define HPGP_NVM_OFF_LENGTH 16u
#define HPGP_NVM_OFF_IMAGE_CHECKSUM 20u
#define HPGP_NVM_OFF_NEXT 28u          /* the next header (right after this image) or HPGP_NVM_LAST */
#define HPGP_NVM_OFF_PREV 32u          /* the previous header, HPGP_NVM_LAST in the first */
#define HPGP_NVM_OFF_TYPE 36u
#define HPGP_NVM_OFF_HEADER_CHECKSUM 92u
#define HPGP_NVM_IMAGE_PIB 0x000Fu
#define HPGP_NVM_MAX_HEADERS 64u
#define HPGP_NVM_LAST 0xFFFFFFFFu

#define HPGP_PIB_LINK_LOW_KBPS 10240u  /* the link speeds a CCS modem is configured with */
#define HPGP_PIB_LINK_HIGH_KBPS 102400u

typedef enum { HPGP_PIB_FLAT = 1, HPGP_PIB_NVM = 2 } hpgp_pib_form;
typedef enum { HPGP_PIB_ROLE_PEV = 1, HPGP_PIB_ROLE_EVSE = 2 } hpgp_pib_role;

/* Where the PIB image is inside a file. */
typedef struct {
    hpgp_pib_form form;
    size_t off, len;    /* the PIB image */
    size_t header;      /* NVM: offset of the PIB image's header */
} hpgp_pib_view;

typedef struct {
    uint8_t mac[6];
    uint8_t nmk[HPGP_NMK_LEN];
    uint8_t nid[HPGP_NID_LEN];
    char hfid[HPGP_PIB_HFID_LEN + 1];   /* NUL-terminated */
    uint8_t cco_selection, slac_mode;
    uint32_t link_low_kbps, link_high_kbps;
} hpgp_pib_fields;

/* Recognise a PIB file and verify every checksum in it (a chain: every header and every image, and its links:
 * version 1.1 headers, PrevHeader 0xFFFFFFFF then the previous header, each NextHeader right after its image,
 * 0xFFFFFFFF in the last, nothing after the last image). 0; CCS_ETRUNC (too short, or an image beyond the
 * file); CCS_EHEADER (unknown form, inconsistent length or chain); CCS_ECHECKSUM; CCS_ENOTFOUND (a chain
 * without a PIB image). Nothing is written. */
int hpgp_pib_open(const uint8_t *file, size_t len, hpgp_pib_view *v);
/* The length of a PIB file from its first `have` bytes: a flat PIB's length field, or the end of a chain's last
 * image. 0 with *total; CCS_ETRUNC (more bytes needed); CCS_EHEADER / CCS_ECHECKSUM (a bad header). */
int hpgp_pib_extent(const uint8_t *head, size_t have, size_t *total);
/* The fields of an opened PIB. */
void hpgp_pib_get(const uint8_t *file, const hpgp_pib_view *v, hpgp_pib_fields *out);
/* Set HFID, CCo selection, SLAC mode and link speeds for a role, then recompute the checksums. */
int hpgp_pib_set_role(uint8_t *file, const hpgp_pib_view *v, hpgp_pib_role role);
/* Recompute every checksum that covers the PIB image (flat: 0x08; NVM: image and header checksums). */
void hpgp_pib_seal(uint8_t *file, const hpgp_pib_view *v);
/* Write the NMK and the preferred NID, then recompute the checksums. */
void hpgp_pib_set_key(uint8_t *file, const hpgp_pib_view *v, const uint8_t nmk[HPGP_NMK_LEN],
                      const uint8_t nid[HPGP_NID_LEN]);
/* What a QCA7000 returns for module 0x7002, for a simulated modem: a chain of one header and a zeroed PIB
 * image with a MAC; len (a multiple of 4) = HPGP_NVM_HEADER_LEN + the image, at least HPGP_PIB_MIN_LEN.
 * 0 or CCS_EINVAL. */
int hpgp_pib_init_nvm(uint8_t *buf, size_t len, const uint8_t mac[6]);

#endif
