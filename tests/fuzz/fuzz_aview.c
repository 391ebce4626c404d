/* libFuzzer target for common/aview, the extract worker's in-place reader of
 * Work{article} frames: the input is the frame. What the reader accepts, the
 * full decoder must accept with the same values (aview_check.h); when it
 * declines, the worker asks the decoder, so declining is always safe. */
#include <stddef.h>
#include <stdint.h>

#include "aview_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	aview_agrees(data, size);
	return 0;
}
