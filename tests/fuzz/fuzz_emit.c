/* libFuzzer target for common/emit, the schema-specific packer: the first
 * byte picks the message type (0 Work, 1 Article, 2 Entity, 3 Event,
 * 4 Extraction, 5 Sentence, 6 Location), the rest is unpacked by protobuf-c;
 * whatever it unpacks, cr_emit_size and cr_emit_pack must give protobuf-c's
 * size and bytes (a Work goes to protobuf-c whole; a Work of version and
 * article alone is also packed by cr_emit_work_article). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/emit.h"
#include "courant.pb-c.h"

static const ProtobufCMessageDescriptor *const types[] = {
	&courant__work__descriptor, &courant__article__descriptor, &courant__entity__descriptor,
	&courant__event__descriptor, &courant__extraction__descriptor, &courant__sentence__descriptor,
	&courant__location__descriptor,
};

static size_t vlen(uint64_t v)
{
	size_t n = 1;
	for (; v >= 0x80; v >>= 7)
		n++;
	return n;
}

/* Work{version, article} and nothing else, through cr_emit_work_article.
 * Other fields of Work (those of a grown schema too) show in the size. */
static void check_work_article(const Courant__Work *w, const uint8_t *want, size_t n)
{
	size_t k = 0, an;
	uint8_t *p;
	if (!w->article)
		return;
	an = protobuf_c_message_get_packed_size(&w->article->base);
	if (n != 1 + vlen(w->version) + 1 + vlen(an) + an)
		return; /* not what it packs */
	p = cr_emit_work_article(w->article, w->version, &k);
	if (!p || k != n || memcmp(p, want, n))
		abort(); /* Work{article} bytes differ */
	free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ProtobufCMessage *m;
	size_t n, k;
	uint8_t *a, *b;
	if (size < 1 || size > (1u << 20))
		return 0;
	m = protobuf_c_message_unpack(types[data[0] % 7], NULL, size - 1, data + 1);
	if (!m)
		return 0;
	n = protobuf_c_message_get_packed_size(m);
	if (cr_emit_size(m) != n)
		abort(); /* sizes differ */
	a = malloc(n + 1);
	b = malloc(n + 1);
	if (!a || !b)
		abort();
	k = protobuf_c_message_pack(m, a);
	if (cr_emit_pack(m, b) != k || memcmp(a, b, k))
		abort(); /* bytes differ */
	if (m->descriptor == &courant__work__descriptor)
		check_work_article((const Courant__Work *)m, a, k);
	free(a);
	free(b);
	protobuf_c_message_free_unpacked(m, NULL);
	return 0;
}
