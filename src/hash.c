/* hash.c: FNV-1a and its word-at-a-time variant (see hash.h). */
#include "hash.h"

#include <string.h>

#define FNV_PRIME 1099511628211ULL

uint64_t hash_more(uint64_t h, const void *s, size_t n)
{
	const unsigned char *p = s;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * FNV_PRIME;
	return h;
}

uint64_t hash_bytes(const void *s, size_t n)
{
	return hash_more(HASH_INIT, s, n);
}

uint64_t hash_str(const char *s)
{
	uint64_t h = HASH_INIT;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * FNV_PRIME;
	return h;
}

uint64_t hash_words(uint64_t h, const void *s, size_t n)
{
	const unsigned char *p = s;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		h = (h ^ w) * 0x9E3779B97F4A7C15ULL;
		h ^= h >> 29;
	}
	return hash_more(h, p + i, n - i);
}
