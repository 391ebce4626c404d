/* libFuzzer target for every decoder of common/codec.h. The first byte picks
 * the decoder, the rest is the frame. Beyond "no crash, no leak", it checks
 * the decoders' contract: on failure *out is NULL and `why` is a terminated
 * reason; on success the message packs, decodes again and packs to the same
 * bytes (validation is stable under re-encoding). Refused Work frames also go
 * through cr_worker_salvage_id, as in the workers. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/batch.h"
#include "common/codec.h"
#include "common/peek.h"
#include "common/worker.h"

/* libprotobuf-c 1.4.1 accepts a field number 0 written as a non-minimal
 * varint tag (e.g. 0x81 0x00) and re-packs it as 0x01, which it refuses: the
 * decoders refuse such messages (regress/codec/ack-unknown-field-number-0),
 * so the round trip below is required of every message they accept. */

/* Decode, then check the contract; `fn` is one of the cr_decode_* functions. */
#define CHECK_DECODER(fn, Type, data, size)                                                      \
	do {                                                                                     \
		Type *m_ = (Type *)(uintptr_t)1, *again_ = NULL;                                 \
		char why_[256];                                                                  \
		memset(why_, 'x', sizeof why_);                                                  \
		cr_err e_ = fn(data, size, &m_, why_, sizeof why_);                              \
		if (memchr(why_, '\0', sizeof why_) == NULL)                                     \
			abort(); /* reason not terminated */                                     \
		if (e_ != CR_OK) {                                                               \
			if (m_ != NULL || !why_[0])                                              \
				abort(); /* failure must clear *out and say why */               \
			break;                                                                   \
		}                                                                                \
		size_t n1_ = 0, n2_ = 0;                                                         \
		void *p1_ = cr_pack(&m_->base, &n1_);                                            \
		if (!p1_ || fn(p1_, n1_, &again_, NULL, 0) != CR_OK)                             \
			abort(); /* a valid message must re-decode */                            \
		void *p2_ = cr_pack(&again_->base, &n2_);                                        \
		if (!p2_ || n1_ != n2_ || memcmp(p1_, p2_, n1_))                                 \
			abort(); /* packing is deterministic */                                  \
		free(p1_);                                                                       \
		free(p2_);                                                                       \
		cr_msg_free(&again_->base);                                                      \
		cr_msg_free(&m_->base);                                                          \
	} while (0)

/* Workers look into a Work frame the decoder refused, to dead-letter the
 * article it may carry: that path reads hostile bytes too. */
static void check_salvage(const uint8_t *p, size_t n)
{
	Courant__Work *w;
	char id[CR_MAX_ID + 8];
	uint64_t seq = 0;
	if (cr_decode_work(p, n, &w, NULL, 0) == CR_OK) {
		cr_msg_free(&w->base);
		return;
	}
	memset(id, 'x', sizeof id);
	if (cr_worker_salvage_id(p, n, id, sizeof id, &seq) && (!memchr(id, '\0', sizeof id) || !id[0]))
		abort(); /* a salvaged id is a terminated, non-empty string */
}

/* cr_peek_work (the relay's check) against the decoder: what the peek
 * accepts must never be refused by the decoder for a structural reason
 * (unpack, version, field number 0, payload count); it may be refused for
 * content, which peek.h leaves to the next stage. The decoder's memory cap
 * (8 x the frame + 1 MiB) cannot be reached by frames of <= 4 KiB (at most
 * ~2,000 sub-messages of a few hundred bytes), so "not a valid" is structural
 * there. Whatever the decoder accepts, the peek accepts with its payload. */
static void check_peek(const uint8_t *p, size_t n)
{
	static const char *const structural[] = {"not a valid", "unknown schema version", "field number 0",
						 "payloads, expected exactly one", "over the", "a batch frame", NULL};
	Courant__Work *w = NULL;
	char why[256];
	int payload = -1;
	cr_err pe = cr_peek_work(p, n, &payload, NULL, 0), de = cr_decode_work(p, n, &w, why, sizeof why);
	if (de == CR_OK) {
		int want = w->article ? 2 : w->extraction ? 3 : w->rejection ? 4 : 5;
		if (pe != CR_OK || payload != want)
			abort(); /* the peek refused a valid frame, or misnamed its payload */
		cr_msg_free(&w->base);
		return;
	}
	if (pe != CR_OK) {
		if (payload != 0)
			abort();
		return;
	}
	if (n > 4096)
		return;
	for (int i = 0; structural[i]; i++)
		if (strstr(why, structural[i]))
			abort(); /* the peek let through a frame the decoder cannot read */
}

/* The extract service's splice: in a frame the decoder accepts with an
 * article, the range cr_peek_field_range gives (when it gives one) decodes to
 * the same article, and Work{extraction} spliced around it decodes, through
 * the same validation, to that article again. */
static void check_splice(const uint8_t *p, size_t n)
{
	Courant__Work *w = NULL, *x = NULL;
	Courant__Article *a;
	size_t off, alen, n1, n2, n3 = 0, sn;
	uint8_t *p1, *p2, *p3 = NULL, *sp;
	if (cr_decode_work(p, n, &w, NULL, 0) != CR_OK)
		return;
	if (!w->article || cr_peek_field_range(p, n, 2, &off, &alen)) {
		cr_msg_free(&w->base);
		return;
	}
	if (!(a = courant__article__unpack(NULL, alen, p + off)))
		abort(); /* the range is not the article the decoder read */
	p1 = cr_pack(&w->article->base, &n1);
	p2 = cr_pack(&a->base, &n2);
	sp = cr_pack_extraction_spliced(p + off, alen, NULL, 0, NULL, 0, &sn);
	if (cr_decode_work(sp, sn, &x, NULL, 0) == CR_OK && x->extraction)
		p3 = cr_pack(&x->extraction->article->base, &n3);
	if (n1 != n2 || memcmp(p1, p2, n1) || n3 != n1 || memcmp(p1, p3, n1))
		abort(); /* the spliced frame does not carry the decoded article */
	free(p1);
	free(p2);
	free(p3);
	free(sp);
	cr_msg_free(x ? &x->base : NULL);
	courant__article__free_unpacked(a, NULL);
	cr_msg_free(&w->base);
}

/* common/batch: the elements cr_batch_open/next yield lie inside the frame,
 * and are the batch elements protobuf-c reads when it reads the frame as a
 * batch (Work.batch, Submit.batch or SubmitReply.batch: `kind` 0, 1, 2); a
 * batch built with the input as its elements yields them back unchanged. */
typedef struct batch_kind {
	unsigned field, head;
	const ProtobufCMessageDescriptor *desc;
} batch_kind;

static const batch_kind kinds[3] = {
	{CR_BATCH_FIELD, 0, &courant__work__descriptor},
	{CR_BATCH_SUBMIT, 0, &courant__submit__descriptor},
	{CR_BATCH_REPLY, 3, &courant__submit_reply__descriptor},
};

/* The repeated bytes `field` of a message protobuf-c unpacked. */
static void pb_batch(const ProtobufCMessage *m, unsigned field, size_t *nb, ProtobufCBinaryData **b)
{
	const ProtobufCFieldDescriptor *f = protobuf_c_message_descriptor_get_field(m->descriptor, field);
	*nb = 0;
	*b = NULL;
	if (!f)
		return;
	*nb = *(const size_t *)((const char *)m + f->quantifier_offset);
	*b = *(ProtobufCBinaryData *const *)((const char *)m + f->offset);
}

static void check_batch(const uint8_t *p, size_t n, int kind)
{
	const batch_kind *bk = &kinds[kind];
	cr_batch_it it;
	cr_batch b = {0};
	const void *e;
	size_t en, k = 0, len = 0, nb = 0;
	ProtobufCBinaryData *pb = NULL;
	void *frame;
	int r = cr_batch_open_field(p, n, bk->field, bk->head, &it);
	if (r == 1) {
		ProtobufCMessage *w = protobuf_c_message_unpack(bk->desc, NULL, n, p);
		if (w)
			pb_batch(w, bk->field, &nb, &pb);
		while (cr_batch_next(&it, &e, &en)) {
			if ((const uint8_t *)e < p || (const uint8_t *)e + en > p + n || !en)
				abort(); /* an element outside the frame, or empty */
			if (nb && (k >= nb || pb[k].len != en || memcmp(pb[k].data, e, en)))
				abort(); /* not the element protobuf-c reads */
			k++;
		}
		if (!k || (nb && k != nb))
			abort();
		if (w)
			protobuf_c_message_free_unpacked(w, NULL);
	}
	if (!n)
		return;
	if (kind)
		cr_batch_kind(&b, bk->field, bk->head);
	if (cr_batch_add(&b, p, n) || cr_batch_add(&b, p, n / 2 + 1))
		abort();
	frame = cr_batch_take(&b, &len);
	if (cr_batch_open_field(frame, len, bk->field, bk->head, &it) != 1 || !cr_batch_next(&it, &e, &en) || en != n ||
	    memcmp(e, p, n) || !cr_batch_next(&it, &e, &en) || en != n / 2 + 1 || memcmp(e, p, en) ||
	    cr_batch_next(&it, &e, &en))
		abort(); /* a built batch does not read back */
	free(frame);
	cr_batch_fini(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const uint8_t *p = data + 1;
	size_t n = size - 1;
	switch (data[0] % 7) {
	case 0:
		CHECK_DECODER(cr_decode_submit, Courant__Submit, p, n);
		check_batch(p, n, 1);
		break;
	case 1:
		CHECK_DECODER(cr_decode_submit_reply, Courant__SubmitReply, p, n);
		check_batch(p, n, 2);
		break;
	case 2:
		CHECK_DECODER(cr_decode_work, Courant__Work, p, n);
		check_salvage(p, n);
		check_peek(p, n);
		check_splice(p, n);
		check_batch(p, n, 0);
		break;
	case 3: CHECK_DECODER(cr_decode_ack, Courant__Ack, p, n); break;
	case 4: CHECK_DECODER(cr_decode_query, Courant__Query, p, n); break;
	case 5: CHECK_DECODER(cr_decode_query_reply, Courant__QueryReply, p, n); break;
	case 6: CHECK_DECODER(cr_decode_event_record, Courant__EventRecord, p, n); break;
	}
	return 0;
}
