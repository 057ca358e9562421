/* ISO 15118-20 RationalNumber (Value x 10^Exponent, Value an int16) to and from float, through the scaling
 * DIN and ISO-2 PhysicalValues use; the CommonMessages and DC codecs each have their own (identical) type. */
#include "iso20_internal.h"

void iso20_rn_set(struct iso20_RationalNumberType *rn, float x) { sess_pv_scale(x, &rn->Exponent, &rn->Value); }
float iso20_rn_get(const struct iso20_RationalNumberType *rn) { return sess_pv_value(rn->Exponent, rn->Value); }
void iso20_dc_rn_set(struct iso20_dc_RationalNumberType *rn, float x) { sess_pv_scale(x, &rn->Exponent, &rn->Value); }
float iso20_dc_rn_get(const struct iso20_dc_RationalNumberType *rn) { return sess_pv_value(rn->Exponent, rn->Value); }
