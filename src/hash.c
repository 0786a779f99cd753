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

static inline uint64_t word_in(uint64_t h, const unsigned char *p)
{
	uint64_t w;
	memcpy(&w, p, 8);
	h = (h ^ w) * 0x9E3779B97F4A7C15ULL;
	return h ^ h >> 29;
}

uint64_t hash_words(uint64_t h, const void *s, size_t n)
{
	const unsigned char *p = s;
	size_t i = 0;
	/* four words a turn, the same steps in the same order: the loop's
	 * own count and test were a third of its instructions (hash_words
	 * took 192M instructions of a cold 1k build: the history's
	 * fingerprints of plan texts, the caches' checksums) */
	for (; i + 32 <= n; i += 32) {
		h = word_in(h, p + i);
		h = word_in(h, p + i + 8);
		h = word_in(h, p + i + 16);
		h = word_in(h, p + i + 24);
	}
	for (; i + 8 <= n; i += 8)
		h = word_in(h, p + i);
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

/* one word of hash_128 into both lanes: each step is a bijection of the
 * lane for a given word and of the word for a given lane, so texts that
 * differ in one word never collide */
static void fold128(uint64_t *a, uint64_t *b, uint64_t w)
{
	*a = (*a ^ w) * 0x9E3779B97F4A7C15ULL;
	*a ^= *a >> 29;
	*b = rotl((*b + w) * 0xC2B2AE3D27D4EB4FULL, 31);
}

/* the length last, through a multiplication: mixed in first (by xor and
 * addition, like the words) it cancelled against a first word changed as
 * much ("b" and "a\0" collided) */
static void end128(uint64_t a, uint64_t b, size_t n, unsigned char out[16])
{
	a = (a ^ (uint64_t)n) * 0x9E3779B97F4A7C15ULL;
	b = rotl((b + (uint64_t)n) * 0xC2B2AE3D27D4EB4FULL, 31);
	uint64_t x = avalanche(a ^ rotl(b, 17)), y = avalanche(b + a * 0x165667B19E3779F9ULL);
	memcpy(out, &x, 8);
	memcpy(out + 8, &y, 8);
}

#define H128_A 0x243F6A8885A308D3ULL
#define H128_B 0x13198A2E03707344ULL

void hash_128(const void *s, size_t n, unsigned char out[16])
{
	const unsigned char *p = s;
	uint64_t a = H128_A, b = H128_B;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		fold128(&a, &b, w);
	}
	if (i < n) {
		uint64_t w = 0;   /* the last word, zero-padded */
		memcpy(&w, p + i, n - i);
		fold128(&a, &b, w);
	}
	end128(a, b, n, out);
}

void hash_128_init(hash128_t *h)
{
	*h = (hash128_t){ H128_A, H128_B, 0, { 0 } };
}

void hash_128_add(hash128_t *h, const void *s, size_t n)
{
	const unsigned char *p = s;
	size_t have = h->n % 8;
	h->n += n;
	if (have) {
		size_t take = 8 - have < n ? 8 - have : n;
		memcpy(h->tail + have, p, take);
		p += take;
		n -= take;
		if (have + take < 8)
			return;
		uint64_t w;
		memcpy(&w, h->tail, 8);
		fold128(&h->a, &h->b, w);
	}
	for (; n >= 8; p += 8, n -= 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		fold128(&h->a, &h->b, w);
	}
	memcpy(h->tail, p, n);
}

void hash_128_end(const hash128_t *h, unsigned char out[16], size_t *len)
{
	uint64_t a = h->a, b = h->b;
	size_t have = h->n % 8;
	if (have) {
		uint64_t w = 0;
		memcpy(&w, h->tail, have);
		fold128(&a, &b, w);
	}
	end128(a, b, h->n, out);
	if (len)
		*len = h->n;
}
