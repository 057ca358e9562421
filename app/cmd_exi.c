/* ccsplc exi: decode/encode one EXI message (placeholder until the generated codec lands). */
#include <stdio.h>
#include "commands.h"

int cmd_exi(int argc, char **argv)
{
    (void)argc; (void)argv;
    fprintf(stderr, "ccsplc exi: not built yet\n");
    return CCS_EXIT_FAIL;
}
