/* hash.h: the one hash of plansite: FNV-1a (64 bits) for keys and names,
 * and a word-at-a-time variant for long texts.  For tables and
 * fingerprints, not for trust.  Pure functions.
 *
 * Output depends on two of them, which must therefore never change: the
 * slug of a long name ends in hash_bytes of the name (text.c), and the
 * search index's version is hash_words of its files (search.c). */
#ifndef PLANSITE_HASH_H
#define PLANSITE_HASH_H

#include <stddef.h>
#include <stdint.h>

/* FNV-1a's offset basis: where a hash starts. */
#define HASH_INIT 14695981039346656037ULL

/* FNV-1a over n bytes. */
uint64_t hash_bytes(const void *s, size_t n);
/* FNV-1a over the bytes of s up to its NUL (= hash_bytes(s, strlen(s))). */
uint64_t hash_str(const char *s);
/* Continues FNV-1a value h over n more bytes: hash_more(hash_bytes(a, m),
 * b, n) is the hash of a and b one after the other. */
uint64_t hash_more(uint64_t h, const void *s, size_t n);
/* Folds n bytes into h eight at a time (the tail byte by byte, as FNV-1a):
 * several times faster than FNV-1a on long texts.  Start from HASH_INIT or
 * any earlier result; not equal to hash_more. */
uint64_t hash_words(uint64_t h, const void *s, size_t n);

/* The slot of address p in an open-addressing table of cap slots (a power
 * of two): Fibonacci hashing of the address.  Where a key goes does not
 * reach any output, only how far a lookup probes. */
static inline size_t hash_ptr(const void *p, size_t cap)
{
	uint64_t h = (uint64_t)(uintptr_t)p * 0x9E3779B97F4A7C15ULL;
	return (size_t)(h >> 17) & (cap - 1);
}

/* A 128-bit digest of n bytes (two word-at-a-time lanes, then a final
 * mix of each): for the fingerprints of many small records (a task's
 * cells), several times faster than SHA-1.  Not for trust. */
void hash_128(const void *s, size_t n, unsigned char out[16]);

/* hash_128 of bytes given in pieces: hash_128_init, hash_128_add for each
 * piece in order, then hash_128_end gives what hash_128 gives of them one
 * after the other, however they are cut; *len is their total length.  For
 * inputs too large to hold whole (a week's fingerprint at 10,000 plans
 * lists 30 MB of plan names). */
typedef struct {
	uint64_t a, b;
	size_t n;                   /* bytes given */
	unsigned char tail[8];      /* the last n % 8 of them, not yet folded */
} hash128_t;

void hash_128_init(hash128_t *h);
void hash_128_add(hash128_t *h, const void *s, size_t n);
void hash_128_end(const hash128_t *h, unsigned char out[16], size_t *len);

#endif
