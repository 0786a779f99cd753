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

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* splitmix64's finalizer: every bit of x reaches every bit of the result */
static uint64_t avalanche(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xBF58476D1CE4E5B9ULL;
	x ^= x >> 27;
	x *= 0x94D049BB133111EBULL;
	return x ^ (x >> 31);
}

void hash_128(const void *s, size_t n, unsigned char out[16])
{
	const unsigned char *p = s;
	uint64_t a = 0x243F6A8885A308D3ULL, b = 0x13198A2E03707344ULL;
	size_t i = 0;
	/* each step is a bijection of the lane for a given word and of the
	 * word for a given lane: texts that differ in one word never collide */
	for (;; i += 8) {
		uint64_t w = 0;
		if (i + 8 <= n)
			memcpy(&w, p + i, 8);
		else if (i < n)
			memcpy(&w, p + i, n - i);
		else
			break;
		a = (a ^ w) * 0x9E3779B97F4A7C15ULL;
		a ^= a >> 29;
		b = rotl((b + w) * 0xC2B2AE3D27D4EB4FULL, 31);
	}
	/* the length last, through a multiplication: mixed in first (by xor
	 * and addition, like the words) it cancelled against a first word
	 * changed as much ("b" and "a\0" collided) */
	a = (a ^ (uint64_t)n) * 0x9E3779B97F4A7C15ULL;
	b = rotl((b + (uint64_t)n) * 0xC2B2AE3D27D4EB4FULL, 31);
	uint64_t x = avalanche(a ^ rotl(b, 17)), y = avalanche(b + a * 0x165667B19E3779F9ULL);
	memcpy(out, &x, 8);
	memcpy(out + 8, &y, 8);
}
