/* Reading a Work{article} frame in place: what the extract worker needs of a
 * normalized article (ids, text, sentence bounds) without cr_decode_work's
 * unpack, which copies every field into an arena and makes one message per
 * sentence (~70 % of that worker's cost outside cx_extract).
 * It takes only the frames it can judge exactly: the common shape (Work with
 * one version and one article, each known field at most once with its
 * schema's wire type, sentences with their four fields at most once, no
 * unknown field, nothing near the decoder's memory cap) whose content passes
 * every check cr_decode_work makes. On any other frame it declines, and the
 * caller asks cr_decode_work, so that the verdict and the reason are always
 * the codec's. Accepting implies that cr_decode_work accepts the frame and
 * decodes the same values (tests/fuzz/fuzz_aview.c checks it). */
#ifndef COURANT_COMMON_AVIEW_H
#define COURANT_COMMON_AVIEW_H

#include <stddef.h>
#include <stdint.h>

/* Strings are what the decoder's C strings hold: the bytes up to the first
 * NUL, NUL-terminated here; NULL when the field is absent. */
typedef struct cr_aview {
	const char *id, *title, *published, *lang;
	const char *text;         /* NULL when absent */
	size_t text_len;          /* strlen(text) */
	uint64_t seq;
	uint32_t attempt;         /* 0 when absent */
	const uint8_t *raw;       /* in the frame; NULL when absent or empty (as unpacked) */
	size_t raw_len;
	size_t n_sentences;
	const uint32_t *bounds;   /* start, end of each sentence */
	size_t article_off, article_len; /* the article's encoding in the frame */
	void *mem;                /* the copies above (one block) */
} cr_aview;

/* 0 with *v filled (release with cr_aview_fini), or -1: decode the frame
 * with cr_decode_work instead (-1 says nothing about the frame's validity). */
int cr_aview_read(const void *frame, size_t len, cr_aview *v);
void cr_aview_fini(cr_aview *v);

#endif
