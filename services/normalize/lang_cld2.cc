// CLD2 shim: the only C++ in normalize. CLD2 wants valid UTF-8 (the caller
// guarantees it) and an int length, so input is capped (the caller passes
// a sample of a few KB anyway: CLD2 is the most expensive pass).
#include <cstring>
#include <cstdio>
#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>

#include "normalize/lang.h"

// CLD2 still uses a few withdrawn codes; the API promises ISO 639-1.
static const struct {
	const char *cld2, *iso;
} kRenamed[] = {
	{"iw", "he"}, {"in", "id"}, {"jw", "jv"}, {"ji", "yi"}, {"mo", "ro"}, {"zh-Hant", "zh"},
};

static const char *to_iso(const char *code)
{
	for (const auto &r : kRenamed)
		if (std::strcmp(code, r.cld2) == 0)
			return r.iso;
	return code;
}

static const char *from_iso(const char *code)
{
	for (const auto &r : kRenamed)
		if (std::strcmp(code, r.iso) == 0 && std::strlen(r.cld2) == 2)
			return r.cld2;
	return code;
}

static const size_t kMaxScan = 64 * 1024;
static const int kMinLetters = 12; // fewer letter bytes: "und"

extern "C" void cn_lang_detect(const char *text, size_t len, const char *hint, char out[8],
			       float *conf)
{
	std::strcpy(out, "und");
	*conf = 0.0f;
	if (len > kMaxScan) {
		// back off to a character boundary
		len = kMaxScan;
		while (len > 0 && (static_cast<unsigned char>(text[len]) & 0xC0) == 0x80)
			len--;
	}
	CLD2::CLDHints hints = {nullptr, nullptr, CLD2::UNKNOWN_ENCODING, CLD2::UNKNOWN_LANGUAGE};
	if (hint && *hint)
		hints.language_hint = CLD2::GetLanguageFromName(from_iso(hint));
	CLD2::Language lang3[3];
	int pct3[3];
	double score3[3];
	int text_bytes = 0;
	bool reliable = false;
	CLD2::Language l = CLD2::ExtDetectLanguageSummary(text, static_cast<int>(len), true, &hints, 0,
							 lang3, pct3, score3, nullptr, &text_bytes,
							 &reliable);
	if (l == CLD2::UNKNOWN_LANGUAGE || l == CLD2::TG_UNKNOWN_LANGUAGE || text_bytes < kMinLetters)
		return;
	if (!reliable && pct3[0] < 50)
		return; // mixed text: no language has the majority
	const char *code = to_iso(CLD2::LanguageCode(l));
	if (!code || !*code || std::strlen(code) >= 8)
		return;
	float c = pct3[0] / 100.0f;
	if (!reliable)
		c *= 0.5f;
	if (text_bytes < 200)
		c *= 0.5f + 0.5f * (static_cast<float>(text_bytes) / 200.0f);
	std::snprintf(out, 8, "%s", code);
	*conf = c;
}
