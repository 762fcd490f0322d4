/* Compiled inner loops of the extract stage.
 *
 * Each function here has a pure-Python definition in extract/kernels.py,
 * which picks this module when it is built (and SEEDCLEAN_PURE is unset);
 * tests/extract/test_kernels.py holds both to the same results on the dev
 * corpora and on generated text. Only the per-byte, per-character and
 * per-shingle loops are here: everything else stays in Python.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* ---- MinHash (datasketch's affine32 scheme over crc32 shingle hashes) ---- */

/* crc32 as zlib computes it, eight bytes a step ("slicing-by-8"): a doc
 * shingle is ~30 bytes, and each byte of the text is hashed in 5 of them */
static uint32_t crc_table[8][256];

static void crc_init(void)
{
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc_table[0][n] = c;
    }
    for (uint32_t n = 0; n < 256; n++)
        for (int k = 1; k < 8; k++)
            crc_table[k][n] = (crc_table[k - 1][n] >> 8) ^ crc_table[0][crc_table[k - 1][n] & 0xFF];
}

static uint32_t load32_le(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* zlib.crc32(data, crc) */
static uint32_t crc_update(uint32_t crc, const unsigned char *data, Py_ssize_t size)
{
    crc = ~crc;
    for (; size >= 8; data += 8, size -= 8) {
        uint32_t one = load32_le(data) ^ crc, two = load32_le(data + 4);
        crc = crc_table[7][one & 0xFF] ^ crc_table[6][(one >> 8) & 0xFF] ^ crc_table[5][(one >> 16) & 0xFF] ^
              crc_table[4][one >> 24] ^ crc_table[3][two & 0xFF] ^ crc_table[2][(two >> 8) & 0xFF] ^
              crc_table[1][(two >> 16) & 0xFF] ^ crc_table[0][two >> 24];
    }
    for (; size > 0; data++, size--)
        crc = crc_table[0][(crc ^ *data) & 0xFF] ^ (crc >> 8);
    return ~crc;
}

/* MurmurHash3's 32-bit finalizer, as fingerprints._signatures applies it */
static uint32_t fmix32(uint32_t h)
{
    h ^= h >> 16;
    h *= 2246822507u;
    h ^= h >> 13;
    h *= 3266489909u;
    h ^= h >> 16;
    return h;
}

/* The permutations' a and b (uint32, native order, as numpy's tobytes) */
typedef struct {
    Py_buffer a, b;
    Py_ssize_t num_perm;
} Perms;

static int perms_get(PyObject *a, PyObject *b, Perms *p)
{
    if (PyObject_GetBuffer(a, &p->a, PyBUF_SIMPLE) < 0)
        return -1;
    if (PyObject_GetBuffer(b, &p->b, PyBUF_SIMPLE) < 0) {
        PyBuffer_Release(&p->a);
        return -1;
    }
    if (p->a.len != p->b.len || p->a.len % 4 != 0 || p->a.len == 0) {
        PyErr_SetString(PyExc_ValueError, "a and b must be non-empty uint32 buffers of one size");
        PyBuffer_Release(&p->a);
        PyBuffer_Release(&p->b);
        return -1;
    }
    p->num_perm = p->a.len / 4;
    return 0;
}

static void perms_release(Perms *p)
{
    PyBuffer_Release(&p->a);
    PyBuffer_Release(&p->b);
}

/* a new bytes object holding num_perm uint32 minima, all at UINT32_MAX */
static PyObject *signature_new(Py_ssize_t num_perm, uint32_t **values)
{
    PyObject *out = PyBytes_FromStringAndSize(NULL, num_perm * 4);
    if (out == NULL)
        return NULL;
    *values = (uint32_t *)PyBytes_AS_STRING(out);
    for (Py_ssize_t k = 0; k < num_perm; k++)
        (*values)[k] = UINT32_MAX;
    return out;
}

/* The minimum over the shingles, per permutation: most of the MinHash work,
 * 8 permutations at a time with GCC/clang vector types (gcc -O2 does not
 * vectorise the plain loop). x86-64's baseline SSE2 has no unsigned 32-bit
 * minimum, so an AVX2 clone is built beside it and picked at load time when
 * the CPU has AVX2. */
#if defined(__GNUC__)
typedef uint32_t u32x8 __attribute__((vector_size(32)));
#if defined(__x86_64__) && !defined(__clang__) && defined(__linux__)
__attribute__((target_clones("avx2", "default")))
#endif
static void signature_min(uint32_t *values, const uint32_t *a, const uint32_t *b, Py_ssize_t num_perm, uint32_t hv)
{
    Py_ssize_t k = 0;
    for (; k + 8 <= num_perm; k += 8) {
        u32x8 va, vb, vv;
        memcpy(&va, a + k, sizeof va);
        memcpy(&vb, b + k, sizeof vb);
        memcpy(&vv, values + k, sizeof vv);
        u32x8 v = va * hv + vb;
        u32x8 less = (u32x8)(v < vv); /* all ones where v is smaller */
        vv = (v & less) | (vv & ~less);
        memcpy(values + k, &vv, sizeof vv);
    }
    for (; k < num_perm; k++) {
        uint32_t v = hv * a[k] + b[k];
        values[k] = v < values[k] ? v : values[k];
    }
}
#else
static void signature_min(uint32_t *values, const uint32_t *a, const uint32_t *b, Py_ssize_t num_perm, uint32_t hv)
{
    for (Py_ssize_t k = 0; k < num_perm; k++) {
        uint32_t v = hv * a[k] + b[k];
        values[k] = v < values[k] ? v : values[k];
    }
}
#endif

/* signature_min of many shingle hashes at once. With AVX2, 32 permutations
 * at a time stay in registers (a, b and the minima) while every hash goes
 * by: no load or store of them per shingle, the minimum in one instruction.
 * A document's ~900 shingles then cost a few microseconds. */
#if (defined(__GNUC__) || defined(__clang__)) && defined(__x86_64__)
#define HAVE_AVX2_PATH 1
#include <immintrin.h>
static int use_avx2;

__attribute__((target("avx2"))) static void signature_min_avx2(uint32_t *values, const uint32_t *a, const uint32_t *b,
                                                                Py_ssize_t num_perm, const uint32_t *hv,
                                                                Py_ssize_t count)
{
    Py_ssize_t k = 0;
    for (; k + 32 <= num_perm; k += 32) {
        __m256i a0 = _mm256_loadu_si256((const __m256i *)(a + k)), a1 = _mm256_loadu_si256((const __m256i *)(a + k + 8)),
                a2 = _mm256_loadu_si256((const __m256i *)(a + k + 16)),
                a3 = _mm256_loadu_si256((const __m256i *)(a + k + 24));
        __m256i b0 = _mm256_loadu_si256((const __m256i *)(b + k)), b1 = _mm256_loadu_si256((const __m256i *)(b + k + 8)),
                b2 = _mm256_loadu_si256((const __m256i *)(b + k + 16)),
                b3 = _mm256_loadu_si256((const __m256i *)(b + k + 24));
        __m256i v0 = _mm256_loadu_si256((const __m256i *)(values + k)),
                v1 = _mm256_loadu_si256((const __m256i *)(values + k + 8)),
                v2 = _mm256_loadu_si256((const __m256i *)(values + k + 16)),
                v3 = _mm256_loadu_si256((const __m256i *)(values + k + 24));
        for (Py_ssize_t i = 0; i < count; i++) {
            __m256i h = _mm256_set1_epi32((int)hv[i]);
            v0 = _mm256_min_epu32(v0, _mm256_add_epi32(_mm256_mullo_epi32(a0, h), b0));
            v1 = _mm256_min_epu32(v1, _mm256_add_epi32(_mm256_mullo_epi32(a1, h), b1));
            v2 = _mm256_min_epu32(v2, _mm256_add_epi32(_mm256_mullo_epi32(a2, h), b2));
            v3 = _mm256_min_epu32(v3, _mm256_add_epi32(_mm256_mullo_epi32(a3, h), b3));
        }
        _mm256_storeu_si256((__m256i *)(values + k), v0);
        _mm256_storeu_si256((__m256i *)(values + k + 8), v1);
        _mm256_storeu_si256((__m256i *)(values + k + 16), v2);
        _mm256_storeu_si256((__m256i *)(values + k + 24), v3);
    }
    for (; k + 8 <= num_perm; k += 8) {
        __m256i a0 = _mm256_loadu_si256((const __m256i *)(a + k)), b0 = _mm256_loadu_si256((const __m256i *)(b + k));
        __m256i v0 = _mm256_loadu_si256((const __m256i *)(values + k));
        for (Py_ssize_t i = 0; i < count; i++)
            v0 = _mm256_min_epu32(v0, _mm256_add_epi32(_mm256_mullo_epi32(a0, _mm256_set1_epi32((int)hv[i])), b0));
        _mm256_storeu_si256((__m256i *)(values + k), v0);
    }
    for (; k < num_perm; k++) {
        uint32_t least = values[k];
        for (Py_ssize_t i = 0; i < count; i++) {
            uint32_t v = hv[i] * a[k] + b[k];
            least = v < least ? v : least;
        }
        values[k] = least;
    }
}
#else
#define HAVE_AVX2_PATH 0
#endif

/* the hashes hv[0..count) (crc32 of each shingle, not yet mixed) into values */
static void signature_add_many(uint32_t *values, const Perms *p, uint32_t *hv, Py_ssize_t count)
{
    const uint32_t *a = (const uint32_t *)p->a.buf, *b = (const uint32_t *)p->b.buf;
    for (Py_ssize_t i = 0; i < count; i++)
        hv[i] = fmix32(hv[i]);
#if HAVE_AVX2_PATH
    if (use_avx2) {
        signature_min_avx2(values, a, b, p->num_perm, hv, count);
        return;
    }
#endif
    for (Py_ssize_t i = 0; i < count; i++)
        signature_min(values, a, b, p->num_perm, hv[i]);
}

/* The signature of the n-grams of `count` (> 0) words joined by one space:
 * `joined` holds each word and a space after it, word i from at[i] (at[count]
 * is one past the last space); fewer words than n make one shingle. Each
 * shingle is a slice of `joined`. */
static PyObject *signature_of_joined(const unsigned char *joined, const Py_ssize_t *at, Py_ssize_t count,
                                     Py_ssize_t n, const Perms *p)
{
    uint32_t *values;
    PyObject *out = signature_new(p->num_perm, &values);
    if (out == NULL)
        return NULL;
    Py_ssize_t width = count < n ? count : n, shingles = count - width + 1;
    uint32_t *hv = PyMem_Malloc(shingles * sizeof(uint32_t));
    if (hv == NULL) {
        Py_DECREF(out);
        return PyErr_NoMemory();
    }
    for (Py_ssize_t i = 0; i < shingles; i++)
        hv[i] = crc_update(0, joined + at[i], at[i + width] - 1 - at[i]);
    signature_add_many(values, p, hv, shingles);
    PyMem_Free(hv);
    return out;
}

/* signature_of_joined of `count` (> 0) words given as UTF-8 pieces */
static PyObject *signature_of_words(const char *const *data, const Py_ssize_t *size, Py_ssize_t count, Py_ssize_t n,
                                    const Perms *p)
{
    Py_ssize_t total = 0;
    for (Py_ssize_t i = 0; i < count; i++)
        total += size[i] + 1;
    unsigned char *joined = PyMem_Malloc(total);
    Py_ssize_t *at = PyMem_Malloc((count + 1) * sizeof(Py_ssize_t));
    PyObject *out = NULL;
    if (joined == NULL || at == NULL)
        PyErr_NoMemory();
    else {
        Py_ssize_t used = 0;
        for (Py_ssize_t i = 0; i < count; i++) {
            at[i] = used;
            memcpy(joined + used, data[i], (size_t)size[i]);
            used += size[i];
            joined[used++] = ' ';
        }
        at[count] = used;
        out = signature_of_joined(joined, at, count, n, p);
    }
    PyMem_Free(joined);
    PyMem_Free(at);
    return out;
}

/* sre's \w, \s and \d for str patterns. Py_UNICODE_ISALNUM is up to four
 * lookups; most characters of an article are ASCII, read from a table. */
enum { C_WORD = 1, C_SPACE = 2, C_DECIMAL = 4, C_LETTER = 8 };
static unsigned char ascii_class[128];

static void ascii_class_fill(void)
{
    for (Py_UCS4 ch = 0; ch < 128; ch++)
        ascii_class[ch] = (Py_UNICODE_ISALNUM(ch) || ch == '_' ? C_WORD : 0) | (Py_UNICODE_ISSPACE(ch) ? C_SPACE : 0) |
                          (Py_UNICODE_ISDECIMAL(ch) ? C_DECIMAL : 0) | (Py_UNICODE_ISALPHA(ch) ? C_LETTER : 0);
}

#define IS_WORD(ch) ((ch) < 128 ? ascii_class[ch] & C_WORD : Py_UNICODE_ISALNUM(ch))
#define IS_SPACE(ch) ((ch) < 128 ? ascii_class[ch] & C_SPACE : Py_UNICODE_ISSPACE(ch))
#define IS_DECIMAL(ch) ((ch) < 128 ? ascii_class[ch] & C_DECIMAL : Py_UNICODE_ISDECIMAL(ch))

/* a per-character step inlined into its loop (gcc -O2 left the body pass's
 * step a call per character: a fifth of its time) */
#if defined(__GNUC__) || defined(__clang__)
#define ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define ALWAYS_INLINE inline
#endif

/* LOOP(TYPE) expanded for the kind of str at hand: one loop per character
 * width, rather than PyUnicode_READ's test of the kind at every character */
#define FOR_KIND(kind, LOOP)                                                                                           \
    switch (kind) {                                                                                                    \
    case PyUnicode_1BYTE_KIND:                                                                                         \
        LOOP(Py_UCS1)                                                                                                  \
        break;                                                                                                         \
    case PyUnicode_2BYTE_KIND:                                                                                         \
        LOOP(Py_UCS2)                                                                                                  \
        break;                                                                                                         \
    default:                                                                                                           \
        LOOP(Py_UCS4)                                                                                                  \
    }

/* ---- searches that skip what they do not look for, several characters a step ---- */

/* the next non-ASCII character at or after i (length when none): ASCII is
 * skipped eight bytes at a time, four UCS-2 or two UCS-4 characters */
static Py_ssize_t next_non_ascii(int kind, const void *data, Py_ssize_t i, Py_ssize_t length)
{
    const unsigned char *bytes = data;
    uint64_t word, mask = kind == PyUnicode_1BYTE_KIND   ? 0x8080808080808080ull
                          : kind == PyUnicode_2BYTE_KIND ? 0xFF80FF80FF80FF80ull
                                                         : 0xFFFFFF80FFFFFF80ull;
    int per = 8 / kind;
    for (; i + per <= length; i += per) {
        memcpy(&word, bytes + i * kind, 8);
        if (word & mask)
            break;
    }
    for (; i < length; i++)
        if (PyUnicode_READ(kind, data, i) >= 128)
            return i;
    return length;
}

/* The first i in [from, to) whose character is one of set[0..n) (n at most
 * 6), or `to`. The scans below (sentence ends, quotation marks, line breaks)
 * read every character of a body; compared eight or sixteen at a time with
 * SSE2 (part of every x86-64) they cost a fraction of a loop that tests one
 * character at a time. A character that the text's kind cannot hold is left
 * out of the search: it cannot stand there. */
enum { FIND_MAX = 6 };

static Py_ssize_t find_any(int kind, const void *data, Py_ssize_t from, Py_ssize_t to, const Py_UCS4 *set, int n)
{
    Py_ssize_t i = from;
#if defined(__SSE2__)
    if (kind == PyUnicode_1BYTE_KIND || kind == PyUnicode_2BYTE_KIND) {
        Py_UCS4 limit = kind == PyUnicode_1BYTE_KIND ? 0xFF : 0xFFFF;
        __m128i want[FIND_MAX];
        int m = 0;
        for (int k = 0; k < n; k++)
            if (set[k] <= limit)
                want[m++] = kind == PyUnicode_1BYTE_KIND ? _mm_set1_epi8((char)set[k]) : _mm_set1_epi16((short)set[k]);
        if (m == 0)
            return to;
        Py_ssize_t step = 16 / kind; /* characters in sixteen bytes */
        const char *bytes = data;
        for (; i + step <= to; i += step) {
            __m128i block = _mm_loadu_si128((const __m128i *)(bytes + i * kind)), hit = _mm_setzero_si128();
            for (int k = 0; k < m; k++)
                hit = _mm_or_si128(hit, kind == PyUnicode_1BYTE_KIND ? _mm_cmpeq_epi8(block, want[k])
                                                                     : _mm_cmpeq_epi16(block, want[k]));
            int mask = _mm_movemask_epi8(hit);
            if (mask)
                return i + __builtin_ctz((unsigned)mask) / kind;
        }
    }
#endif
    for (; i < to; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        for (int k = 0; k < n; k++)
            if (ch == set[k])
                return i;
    }
    return to;
}


/* whether the one argument of `name` is a str (else a TypeError) */
static int is_str(PyObject *arg, const char *name)
{
    if (PyUnicode_Check(arg))
        return 1;
    PyErr_Format(PyExc_TypeError, "%s() takes a str", name);
    return 0;
}

/* the (text, n, a, b) arguments of the shingle signatures; n at least 1 */
static int text_n_args(PyObject *args, const char *format, PyObject **text, Py_ssize_t *n, PyObject **a, PyObject **b)
{
    if (!PyArg_ParseTuple(args, format, text, n, a, b))
        return 0;
    if (*n < 1) {
        PyErr_SetString(PyExc_ValueError, "n must be at least 1");
        return 0;
    }
    return 1;
}

/* the (text, set of words) arguments */
static int text_set_args(PyObject *args, const char *format, PyObject **text, PyObject **words)
{
    if (!PyArg_ParseTuple(args, format, text, words))
        return 0;
    if (!PyAnySet_Check(*words)) {
        PyErr_SetString(PyExc_TypeError, "the words must be a set or frozenset");
        return 0;
    }
    return 1;
}

/* ch in UTF-8 at `into`; the bytes written */
static Py_ssize_t utf8_put(unsigned char *into, Py_UCS4 ch)
{
    if (ch < 0x80) {
        into[0] = (unsigned char)ch;
        return 1;
    }
    if (ch < 0x800) {
        into[0] = (unsigned char)(0xC0 | (ch >> 6));
        into[1] = (unsigned char)(0x80 | (ch & 0x3F));
        return 2;
    }
    if (ch < 0x10000) {
        into[0] = (unsigned char)(0xE0 | (ch >> 12));
        into[1] = (unsigned char)(0x80 | ((ch >> 6) & 0x3F));
        into[2] = (unsigned char)(0x80 | (ch & 0x3F));
        return 3;
    }
    into[0] = (unsigned char)(0xF0 | (ch >> 18));
    into[1] = (unsigned char)(0x80 | ((ch >> 12) & 0x3F));
    into[2] = (unsigned char)(0x80 | ((ch >> 6) & 0x3F));
    into[3] = (unsigned char)(0x80 | (ch & 0x3F));
    return 4;
}

static PyObject *text_shingle_signature(PyObject *self, PyObject *args)
{
    PyObject *text, *a, *b;
    Py_ssize_t n;
    if (!text_n_args(args, "UnOO:text_shingle_signature", &text, &n, &a, &b))
        return NULL;
    int kind = PyUnicode_KIND(text);
    const void *chars = PyUnicode_DATA(text);
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    /* the \w+ words in UTF-8, each followed by a space: at most 4 bytes a
     * character and a space after every other one; a text of L characters
     * holds at most L / 2 + 1 words. (A word character is never a surrogate,
     * so every word encodes.) */
    unsigned char *joined = PyMem_Malloc(5 * length + 1);
    Py_ssize_t *at = PyMem_Malloc((length / 2 + 2) * sizeof(Py_ssize_t));
    PyObject *out = NULL;
    if (joined == NULL || at == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t count = 0, used = 0;
    int in_word = 0;
    /* one loop per kind of str (PyUnicode_READ branches on the kind at
     * every character), ASCII copied as it is */
#define JOIN_WORDS(TYPE)                                                                                               \
    for (Py_ssize_t i = 0; i < length; i++) {                                                                          \
        Py_UCS4 ch = ((const TYPE *)chars)[i];                                                                         \
        if (IS_WORD(ch)) {                                                                                             \
            if (!in_word)                                                                                              \
                at[count++] = used;                                                                                    \
            if (ch < 128)                                                                                              \
                joined[used++] = (unsigned char)ch;                                                                    \
            else                                                                                                       \
                used += utf8_put(joined + used, ch);                                                                   \
            in_word = 1;                                                                                               \
        }                                                                                                              \
        else if (in_word) {                                                                                            \
            joined[used++] = ' ';                                                                                      \
            in_word = 0;                                                                                               \
        }                                                                                                              \
    }
    FOR_KIND(kind, JOIN_WORDS)
#undef JOIN_WORDS
    if (in_word)
        joined[used++] = ' ';
    at[count] = used;
    if (count == 0) {
        out = PyBytes_FromStringAndSize(NULL, 0);
        goto done;
    }
    Perms p;
    if (perms_get(a, b, &p) < 0)
        goto done;
    out = signature_of_joined(joined, at, count, n, &p);
    perms_release(&p);
done:
    PyMem_Free(joined);
    PyMem_Free(at);
    return out;
}

/* A frozenset of str as an open-addressing table of code points, built once
 * per frozenset (it cannot change): a word is looked up without making a
 * str of it. A (mutable) set is asked through PySet_Contains instead. */
typedef struct {
    PyObject *set; /* the frozenset the table was built from (a reference) */
    Py_ssize_t mask;
    Py_ssize_t *slot; /* index into entries + 1, 0 when empty */
    uint64_t *hash;
    Py_ssize_t *start, *length;
    Py_ssize_t longest; /* the longest member's length */
    Py_UCS4 *pool;
} WordTable;

static WordTable word_table;

static uint64_t fnv1a_step(uint64_t h, Py_UCS4 ch)
{
    return (h ^ ch) * 1099511628211ull;
}

static void word_table_clear(WordTable *t)
{
    Py_CLEAR(t->set);
    PyMem_Free(t->slot);
    PyMem_Free(t->hash);
    PyMem_Free(t->start);
    PyMem_Free(t->length);
    PyMem_Free(t->pool);
    memset(t, 0, sizeof *t);
}

static int word_table_build(WordTable *t, PyObject *set)
{
    word_table_clear(t);
    /* the members as a tuple: the public API has no set walk without one */
    PyObject *members = PySequence_Tuple(set);
    if (members == NULL)
        return -1;
    Py_ssize_t n = PyTuple_GET_SIZE(members), pooled = 0, capacity = 8, count = 0;
    for (Py_ssize_t m = 0; m < n; m++)
        if (PyUnicode_Check(PyTuple_GET_ITEM(members, m)))
            pooled += PyUnicode_GET_LENGTH(PyTuple_GET_ITEM(members, m));
    while (capacity < 2 * n + 2)
        capacity *= 2;
    t->slot = PyMem_Calloc(capacity, sizeof(Py_ssize_t));
    t->hash = PyMem_Malloc((n + 1) * sizeof(uint64_t));
    t->start = PyMem_Malloc((n + 1) * sizeof(Py_ssize_t));
    t->length = PyMem_Malloc((n + 1) * sizeof(Py_ssize_t));
    t->pool = PyMem_Malloc((pooled + 1) * sizeof(Py_UCS4));
    if (!t->slot || !t->hash || !t->start || !t->length || !t->pool) {
        word_table_clear(t);
        Py_DECREF(members);
        PyErr_NoMemory();
        return -1;
    }
    t->mask = capacity - 1;
    pooled = 0;
    for (Py_ssize_t m = 0; m < n; m++) {
        PyObject *item = PyTuple_GET_ITEM(members, m);
        if (!PyUnicode_Check(item))
            continue; /* never equal to a str */
        int kind = PyUnicode_KIND(item);
        const void *data = PyUnicode_DATA(item);
        Py_ssize_t length = PyUnicode_GET_LENGTH(item);
        uint64_t h = 14695981039346656037ull;
        for (Py_ssize_t i = 0; i < length; i++) {
            Py_UCS4 ch = PyUnicode_READ(kind, data, i);
            t->pool[pooled + i] = ch;
            h = fnv1a_step(h, ch);
        }
        t->hash[count] = h;
        t->start[count] = pooled;
        t->length[count] = length;
        if (length > t->longest)
            t->longest = length;
        pooled += length;
        Py_ssize_t at = (Py_ssize_t)(h & (uint64_t)t->mask);
        while (t->slot[at])
            at = (at + 1) & t->mask;
        t->slot[at] = ++count;
    }
    Py_DECREF(members);
    Py_INCREF(set);
    t->set = set;
    return 0;
}

static int word_table_has(const WordTable *t, int kind, const void *data, Py_ssize_t from, Py_ssize_t to, uint64_t h)
{
    for (Py_ssize_t at = (Py_ssize_t)(h & (uint64_t)t->mask); t->slot[at]; at = (at + 1) & t->mask) {
        Py_ssize_t e = t->slot[at] - 1;
        if (t->hash[e] != h || t->length[e] != to - from)
            continue;
        const Py_UCS4 *word = t->pool + t->start[e];
        Py_ssize_t i = 0;
        while (i < to - from && word[i] == PyUnicode_READ(kind, data, from + i))
            i++;
        if (i == to - from)
            return 1;
    }
    return 0;
}

/* count_words_in over the characters (kind, chars, length) of a text */
static PyObject *count_words_of(int kind, const void *chars, Py_ssize_t length, PyObject *words)
{
    int frozen = PyFrozenSet_CheckExact(words);
    if (frozen && word_table.set != words && word_table_build(&word_table, words) < 0)
        return NULL;
    Py_ssize_t found = 0, start = -1;
    uint64_t h = 0;
    for (Py_ssize_t i = 0; i <= length; i++) {
        Py_UCS4 ch = i < length ? PyUnicode_READ(kind, chars, i) : 0;
        int word = i < length && IS_WORD(ch);
        if (word) {
            if (start < 0) {
                start = i;
                h = 14695981039346656037ull;
            }
            h = fnv1a_step(h, ch);
        }
        else if (start >= 0) {
            if (frozen)
                found += word_table_has(&word_table, kind, chars, start, i, h);
            else {
                PyObject *piece = PyUnicode_FromKindAndData(kind, (const char *)chars + start * kind, i - start);
                if (piece == NULL)
                    return NULL;
                int in = PySet_Contains(words, piece);
                Py_DECREF(piece);
                if (in < 0)
                    return NULL;
                found += in;
            }
            start = -1;
        }
    }
    return PyLong_FromSsize_t(found);
}

static PyObject *count_words_in(PyObject *self, PyObject *args)
{
    PyObject *text, *words;
    if (!text_set_args(args, "UO:count_words_in", &text, &words))
        return NULL;
    return count_words_of(PyUnicode_KIND(text), PyUnicode_DATA(text), PyUnicode_GET_LENGTH(text), words);
}

/* count_words_in(text.lower(), words), the text lowered a character at a
 * time into a buffer (no str of it): str.lower() maps each character by its
 * simple lower-case mapping, bar two that are sent to str.lower() itself:
 * U+0130, which lowers to two characters, and the sigma, whose lower case
 * depends on what follows it */
static PyObject *count_lowered_words_in(PyObject *self, PyObject *args)
{
    PyObject *text, *words;
    if (!text_set_args(args, "UO:count_lowered_words_in", &text, &words))
        return NULL;
    int kind = PyUnicode_KIND(text);
    const void *chars = PyUnicode_DATA(text);
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    Py_UCS4 *lowered = PyMem_Malloc((length ? length : 1) * sizeof(Py_UCS4));
    if (lowered == NULL)
        return PyErr_NoMemory();
    int plain = 1;
    for (Py_ssize_t i = 0; i < length && plain; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, chars, i);
        plain = ch != 0x130 && ch != 0x3A3;
        lowered[i] = ch < 128 ? (ch >= 'A' && ch <= 'Z' ? ch + 32 : ch) : Py_UNICODE_TOLOWER(ch);
    }
    PyObject *result;
    if (plain)
        result = count_words_of(PyUnicode_4BYTE_KIND, lowered, length, words);
    else {
        PyObject *lower = PyObject_CallMethod(text, "lower", NULL);
        result = lower == NULL ? NULL
                               : count_words_of(PyUnicode_KIND(lower), PyUnicode_DATA(lower),
                                                PyUnicode_GET_LENGTH(lower), words);
        Py_XDECREF(lower);
    }
    PyMem_Free(lowered);
    return result;
}

static PyObject *word_shingle_signature(PyObject *self, PyObject *args)
{
    PyObject *words, *a, *b;
    Py_ssize_t n;
    if (!PyArg_ParseTuple(args, "O!nOO:word_shingle_signature", &PyList_Type, &words, &n, &a, &b))
        return NULL;
    if (n < 1) {
        PyErr_SetString(PyExc_ValueError, "n must be at least 1");
        return NULL;
    }
    Py_ssize_t count = PyList_GET_SIZE(words);
    if (count == 0)
        return PyBytes_FromStringAndSize(NULL, 0);
    Perms p;
    if (perms_get(a, b, &p) < 0)
        return NULL;
    const char **data = PyMem_Malloc(count * sizeof(char *));
    Py_ssize_t *size = PyMem_Malloc(count * sizeof(Py_ssize_t));
    PyObject *out = NULL;
    if (data == NULL || size == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *word = PyList_GET_ITEM(words, i);
        if (!PyUnicode_Check(word)) {
            PyErr_SetString(PyExc_TypeError, "words must be str");
            goto done;
        }
        /* the UTF-8 form is cached in the str object, which the list keeps alive */
        data[i] = PyUnicode_AsUTF8AndSize(word, &size[i]);
        if (data[i] == NULL)
            goto done;
    }
    out = signature_of_words(data, size, count, n, &p);
done:
    PyMem_Free(data);
    PyMem_Free(size);
    perms_release(&p);
    return out;
}

/* The signature of the character n-grams of a text in UTF-8 (`data`),
 * whose i-th character starts at byte at[i] (at[chars]: the end) */
static PyObject *signature_of_chars(const unsigned char *data, const Py_ssize_t *at, Py_ssize_t chars, Py_ssize_t n,
                                    const Perms *p)
{
    uint32_t *values;
    /* text[i:i+n] for i in range(max(chars - n + 1, 1)): a short text is one shingle */
    Py_ssize_t last = chars - n + 1 > 1 ? chars - n + 1 : 1;
    uint32_t *hv = PyMem_Malloc(last * sizeof(uint32_t));
    if (hv == NULL)
        return PyErr_NoMemory();
    PyObject *out = signature_new(p->num_perm, &values);
    if (out != NULL) {
        for (Py_ssize_t i = 0; i < last; i++) {
            Py_ssize_t end = i + n < chars ? i + n : chars;
            hv[i] = crc_update(0, data + at[i], at[end] - at[i]);
        }
        signature_add_many(values, p, hv, last);
    }
    PyMem_Free(hv);
    return out;
}

static PyObject *char_shingle_signature(PyObject *self, PyObject *args)
{
    PyObject *text, *a, *b;
    Py_ssize_t n;
    if (!text_n_args(args, "UnOO:char_shingle_signature", &text, &n, &a, &b))
        return NULL;
    Py_ssize_t size;
    const unsigned char *data = (const unsigned char *)PyUnicode_AsUTF8AndSize(text, &size);
    if (data == NULL)
        return NULL;
    Py_ssize_t chars = PyUnicode_GET_LENGTH(text);
    Perms p;
    if (perms_get(a, b, &p) < 0)
        return NULL;
    /* the byte offset where each character starts, and the end */
    Py_ssize_t *at = PyMem_Malloc((chars + 1) * sizeof(Py_ssize_t));
    PyObject *out = NULL;
    if (at == NULL)
        PyErr_NoMemory();
    else {
        Py_ssize_t c = 0;
        for (Py_ssize_t i = 0; i < size; i++)
            if ((data[i] & 0xC0) != 0x80)
                at[c++] = i;
        at[c] = size;
        out = signature_of_chars(data, at, chars, n, &p);
    }
    PyMem_Free(at);
    perms_release(&p);
    return out;
}

/* ---- LSH band keys: BLAKE2b (RFC 7693), 8-byte digests, no key ---- */

static const uint64_t blake2b_iv[8] = {
    0x6a09e667f3bcc908ull, 0xbb67ae8584caa73bull, 0x3c6ef372fe94f82bull, 0xa54ff53a5f1d36f1ull,
    0x510e527fade682d1ull, 0x9b05688c2b3e6c1full, 0x1f83d9abfb41bd6bull, 0x5be0cd19137e2179ull,
};

static const uint8_t blake2b_sigma[12][16] = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
    {11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4}, {7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
    {9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13}, {2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
    {12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11}, {13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
    {6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5}, {10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0},
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
};

static uint64_t rotr64(uint64_t x, int n)
{
    return (x >> n) | (x << (64 - n));
}

/* spelled as load32_le is, which gcc and clang read as one load (the loop
 * this replaces was a third of a compression, a byte at a time) */
static uint64_t load64_le(const unsigned char *p)
{
    return (uint64_t)load32_le(p) | (uint64_t)load32_le(p + 4) << 32;
}

#define B2B_G(a, b, c, d, x, y)                                                                                        \
    do {                                                                                                               \
        v[a] = v[a] + v[b] + (x);                                                                                      \
        v[d] = rotr64(v[d] ^ v[a], 32);                                                                                \
        v[c] = v[c] + v[d];                                                                                            \
        v[b] = rotr64(v[b] ^ v[c], 24);                                                                                \
        v[a] = v[a] + v[b] + (y);                                                                                      \
        v[d] = rotr64(v[d] ^ v[a], 16);                                                                                \
        v[c] = v[c] + v[d];                                                                                            \
        v[b] = rotr64(v[b] ^ v[c], 63);                                                                                \
    } while (0)

/* BLAKE2b's twelve rounds over v[] and m[], with G mixing one lane
 * (B2B_G) or four (B2B_G4). Unrolled: each m[s[i]] then names a fixed word
 * of the message instead of two loads (a band is one compression; 6% less). */
#if defined(__GNUC__) && !defined(__clang__)
#define B2B_UNROLL _Pragma("GCC unroll 12")
#elif defined(__clang__)
#define B2B_UNROLL _Pragma("unroll")
#else
#define B2B_UNROLL
#endif
#define B2B_ROUNDS(G)                                                                                                  \
    B2B_UNROLL for (int r = 0; r < 12; r++)                                                                            \
    {                                                                                                                  \
        const uint8_t *s = blake2b_sigma[r];                                                                           \
        G(0, 4, 8, 12, m[s[0]], m[s[1]]);                                                                              \
        G(1, 5, 9, 13, m[s[2]], m[s[3]]);                                                                              \
        G(2, 6, 10, 14, m[s[4]], m[s[5]]);                                                                             \
        G(3, 7, 11, 15, m[s[6]], m[s[7]]);                                                                             \
        G(0, 5, 10, 15, m[s[8]], m[s[9]]);                                                                             \
        G(1, 6, 11, 12, m[s[10]], m[s[11]]);                                                                           \
        G(2, 7, 8, 13, m[s[12]], m[s[13]]);                                                                            \
        G(3, 4, 9, 14, m[s[14]], m[s[15]]);                                                                            \
    }

static void blake2b_compress(uint64_t h[8], const unsigned char block[128], uint64_t counted, int last)
{
    uint64_t v[16], m[16];
    for (int i = 0; i < 8; i++) {
        v[i] = h[i];
        v[i + 8] = blake2b_iv[i];
    }
    v[12] ^= counted; /* messages here are far below 2**64 bytes: the high word stays 0 */
    if (last)
        v[14] = ~v[14];
    for (int i = 0; i < 16; i++)
        m[i] = load64_le(block + 8 * i);
    B2B_ROUNDS(B2B_G);
    for (int i = 0; i < 8; i++)
        h[i] ^= v[i] ^ v[i + 8];
}

/* hashlib.blake2b(data, digest_size=8): the digest's 8 bytes as a little-endian integer */
static uint64_t blake2b_64(const unsigned char *data, Py_ssize_t size)
{
    uint64_t h[8];
    memcpy(h, blake2b_iv, sizeof h);
    h[0] ^= 0x01010000ull ^ 8; /* depth 1, fanout 1, no key, 8-byte digest */
    unsigned char block[128];
    uint64_t counted = 0;
    while (size > 128) {
        counted += 128;
        blake2b_compress(h, data, counted, 0);
        data += 128;
        size -= 128;
    }
    memset(block, 0, sizeof block);
    memcpy(block, data, (size_t)size);
    blake2b_compress(h, block, counted + (uint64_t)size, 1);
    return h[0];
}

#if HAVE_AVX2_PATH
/* blake2b_64 of four messages of one size at once, one in each 64-bit lane
 * of AVX2 registers: the same arithmetic as blake2b_compress, lane by lane
 * (integers only: every processor gives the same digests). A signature's
 * bands are such messages, and four of them cost about what one does. */
/* BLAKE2b's four rotations of each 64-bit lane: by 32, 24 and 16 bits a
 * byte shuffle, by 63 a shift and an add */
#define ROTR32X4(x) _mm256_shuffle_epi32((x), _MM_SHUFFLE(2, 3, 0, 1))
#define ROTR24X4(x)                                                                                                    \
    _mm256_shuffle_epi8((x), _mm256_setr_epi8(3, 4, 5, 6, 7, 0, 1, 2, 11, 12, 13, 14, 15, 8, 9, 10, 3, 4, 5, 6, 7, 0, 1, \
                                              2, 11, 12, 13, 14, 15, 8, 9, 10))
#define ROTR16X4(x)                                                                                                    \
    _mm256_shuffle_epi8((x), _mm256_setr_epi8(2, 3, 4, 5, 6, 7, 0, 1, 10, 11, 12, 13, 14, 15, 8, 9, 2, 3, 4, 5, 6, 7, 0, \
                                              1, 10, 11, 12, 13, 14, 15, 8, 9))
#define ROTR63X4(x) _mm256_or_si256(_mm256_srli_epi64((x), 63), _mm256_add_epi64((x), (x)))

#define B2B_G4(a, b, c, d, x, y)                                                                                       \
    do {                                                                                                               \
        v[a] = _mm256_add_epi64(_mm256_add_epi64(v[a], v[b]), (x));                                                    \
        v[d] = ROTR32X4(_mm256_xor_si256(v[d], v[a]));                                                             \
        v[c] = _mm256_add_epi64(v[c], v[d]);                                                                           \
        v[b] = ROTR24X4(_mm256_xor_si256(v[b], v[c]));                                                             \
        v[a] = _mm256_add_epi64(_mm256_add_epi64(v[a], v[b]), (y));                                                    \
        v[d] = ROTR16X4(_mm256_xor_si256(v[d], v[a]));                                                             \
        v[c] = _mm256_add_epi64(v[c], v[d]);                                                                           \
        v[b] = ROTR63X4(_mm256_xor_si256(v[b], v[c]));                                                             \
    } while (0)

__attribute__((target("avx2"))) static void blake2b_compress_x4(__m256i h[8], const unsigned char *const block[4],
                                                                 uint64_t counted, int last)
{
    __m256i v[16], m[16];
    for (int i = 0; i < 8; i++) {
        v[i] = h[i];
        v[i + 8] = _mm256_set1_epi64x((long long)blake2b_iv[i]);
    }
    v[12] = _mm256_xor_si256(v[12], _mm256_set1_epi64x((long long)counted));
    if (last)
        v[14] = _mm256_xor_si256(v[14], _mm256_set1_epi64x(-1));
    for (int i = 0; i < 16; i++)
        m[i] = _mm256_set_epi64x((long long)load64_le(block[3] + 8 * i), (long long)load64_le(block[2] + 8 * i),
                                 (long long)load64_le(block[1] + 8 * i), (long long)load64_le(block[0] + 8 * i));
    B2B_ROUNDS(B2B_G4);
    for (int i = 0; i < 8; i++)
        h[i] = _mm256_xor_si256(h[i], _mm256_xor_si256(v[i], v[i + 8]));
}

__attribute__((target("avx2"))) static void blake2b_64_x4(const unsigned char *const data[4], Py_ssize_t size,
                                                           uint64_t digest[4])
{
    __m256i h[8];
    for (int i = 0; i < 8; i++)
        h[i] = _mm256_set1_epi64x((long long)blake2b_iv[i]);
    h[0] = _mm256_xor_si256(h[0], _mm256_set1_epi64x(0x01010000ll ^ 8));
    const unsigned char *at[4] = {data[0], data[1], data[2], data[3]};
    uint64_t counted = 0;
    while (size > 128) {
        counted += 128;
        blake2b_compress_x4(h, at, counted, 0);
        for (int k = 0; k < 4; k++)
            at[k] += 128;
        size -= 128;
    }
    unsigned char blocks[4][128];
    memset(blocks, 0, sizeof blocks);
    for (int k = 0; k < 4; k++) {
        memcpy(blocks[k], at[k], (size_t)size);
        at[k] = blocks[k];
    }
    blake2b_compress_x4(h, at, counted + (uint64_t)size, 1);
    _mm256_storeu_si256((__m256i *)digest, h[0]);
}
#endif

/* a band's message: the salt (already in place), the band's number, its
 * rows as little-endian uint32 */
static void band_message(unsigned char *message, Py_ssize_t salt_len, Py_ssize_t band, const uint32_t *minima,
                         Py_ssize_t rows)
{
    unsigned char *at = message + salt_len;
    *at++ = (unsigned char)band;
    for (Py_ssize_t r = 0; r < rows; r++) {
        uint32_t x = minima[band * rows + r];
        for (int i = 0; i < 4; i++)
            *at++ = (unsigned char)(x >> (8 * i));
    }
}

static PyObject *band_keys(PyObject *self, PyObject *args)
{
    Py_buffer values, salt;
    Py_ssize_t bands, rows;
    if (!PyArg_ParseTuple(args, "y*nny*:band_keys", &values, &bands, &rows, &salt))
        return NULL;
    PyObject *keys = NULL;
    unsigned char *message = NULL;
    if (bands < 0 || bands > 256 || rows < 0 || values.len < bands * rows * 4) {
        PyErr_SetString(PyExc_ValueError, "bands must be in 0..256 and values hold bands * rows uint32");
        goto done;
    }
    Py_ssize_t size = salt.len + 1 + rows * 4;
    message = PyMem_Malloc(4 * size); /* four messages, for the four lanes */
    keys = PyList_New(bands);
    if (message == NULL || keys == NULL) {
        Py_CLEAR(keys);
        PyErr_NoMemory();
        goto done;
    }
    for (int k = 0; k < 4; k++)
        memcpy(message + k * size, salt.buf, (size_t)salt.len);
    const uint32_t *minima = values.buf;
    for (Py_ssize_t band = 0; band < bands;) {
        uint64_t digest[4];
        int done_now = 1;
#if HAVE_AVX2_PATH
        if (use_avx2 && band + 4 <= bands) {
            const unsigned char *four[4];
            for (int k = 0; k < 4; k++) {
                band_message(message + k * size, salt.len, band + k, minima, rows);
                four[k] = message + k * size;
            }
            blake2b_64_x4(four, size, digest);
            done_now = 4;
        }
#endif
        if (done_now == 1) {
            band_message(message, salt.len, band, minima, rows);
            digest[0] = blake2b_64(message, size);
        }
        for (int k = 0; k < done_now; k++, band++) {
            int64_t key;
            memcpy(&key, &digest[k], sizeof key); /* the signed reading of the same 64 bits */
            PyObject *item = PyLong_FromLongLong(key);
            if (item == NULL) {
                Py_CLEAR(keys);
                goto done;
            }
            PyList_SET_ITEM(keys, band, item);
        }
    }
done:
    PyMem_Free(message);
    PyBuffer_Release(&values);
    PyBuffer_Release(&salt);
    return keys;
}

/* ---- py3langid's byte automaton ---- */

static int32_t *slot_table;
static Py_ssize_t slot_size;

static PyObject *langid_features(PyObject *self, PyObject *args)
{
    Py_buffer data, nextmove, rowbase, out;
    Py_ssize_t n_features, depth;
    if (!PyArg_ParseTuple(args, "y*y*y*y*nn:langid_features", &data, &nextmove, &rowbase, &out, &n_features, &depth))
        return NULL;
    PyObject *result = NULL;
    int32_t *slot = NULL, *ids = NULL, *emitted = NULL;
    float *counts = NULL;
    Py_ssize_t found = 0; /* entries of ids (and of slot) set */
    const unsigned char *text = data.buf;
    const uint32_t *next = nextmove.buf, *base = rowbase.buf;
    const int32_t *emit = out.buf;
    Py_ssize_t states = rowbase.len / 4, moves = nextmove.len / 4;
    if (rowbase.len % 4 || nextmove.len % 4 || out.len != rowbase.len || n_features < 0 || depth < 1) {
        PyErr_SetString(PyExc_ValueError,
                        "nextmove, rowbase and out must be 4-byte arrays, one row per state; depth at least 1");
        goto done;
    }
    /* slot[f]: 1 + where feature f stands in ids (0: not seen yet). Kept
     * between calls and cleared entry by entry at the end: zeroing all of it
     * (400 KiB for the packaged model) cost a quarter of the call. The GIL is
     * held throughout, so no other call sees it half-cleared. */
    if (n_features > slot_size) {
        int32_t *bigger = PyMem_Calloc(n_features, sizeof(int32_t));
        if (bigger == NULL) {
            PyErr_NoMemory();
            goto done;
        }
        PyMem_Free(slot_table);
        slot_table = bigger;
        slot_size = n_features;
    }
    slot = slot_table;
    ids = PyMem_Malloc((data.len ? data.len : 1) * sizeof(int32_t));
    counts = PyMem_Malloc((data.len ? data.len : 1) * sizeof(float));
    emitted = PyMem_Malloc((data.len ? data.len : 1) * sizeof(int32_t));
    if (slot == NULL || ids == NULL || counts == NULL || emitted == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    /* Each byte's state is one dependent load after the last (a cache miss
     * in a 100 MiB table, mostly). The state after a byte depends only on the
     * last `depth` bytes (Aho-Corasick: the longest feature is `depth` bytes),
     * so LANES pieces of the text are walked side by side, each from the start
     * state `depth - 1` bytes before its piece: independent loads overlap.
     * 16 lanes: between two articles normalizing evicts the table, and in
     * that cold case 16 cut the walk by a fifth against 8 (32 gained no more). */
    enum { LANES = 16 };
    Py_ssize_t size = data.len, piece = (size + LANES - 1) / LANES, steps = 0;
    Py_ssize_t pos[LANES], first[LANES], end[LANES];
    uint32_t state[LANES];
    for (int k = 0; k < LANES; k++) {
        first[k] = k * piece < size ? k * piece : size;
        end[k] = first[k] + piece < size ? first[k] + piece : size;
        pos[k] = first[k] - (depth - 1) > 0 ? first[k] - (depth - 1) : 0;
        state[k] = 0;
        if (end[k] - pos[k] > steps)
            steps = end[k] - pos[k];
    }
    for (Py_ssize_t step = 0; step < steps; step++) {
        for (int k = 0; k < LANES; k++) {
            if (pos[k] >= end[k])
                continue;
            Py_ssize_t move = (Py_ssize_t)base[state[k]] + text[pos[k]];
            if (move >= moves) {
                PyErr_SetString(PyExc_ValueError, "the automaton leads outside nextmove");
                goto done;
            }
            state[k] = next[move];
            if (state[k] >= states) {
                PyErr_SetString(PyExc_ValueError, "the automaton leads to a state it does not have");
                goto done;
            }
            if (pos[k] >= first[k])
                emitted[pos[k]] = emit[state[k]];
            pos[k]++;
        }
    }
    /* counted in the order of the text: the ids in order of first occurrence */
    for (Py_ssize_t i = 0; i < size; i++) {
        int32_t feature = emitted[i];
        if (feature < 0)
            continue;
        if (feature >= n_features) {
            PyErr_SetString(PyExc_ValueError, "the automaton emits a feature outside the table");
            goto done;
        }
        if (slot[feature] == 0) {
            ids[found] = feature;
            counts[found] = 0.0f;
            slot[feature] = (int32_t)++found;
        }
        counts[slot[feature] - 1] += 1.0f;
    }
    result = Py_BuildValue("(y#y#)", (const char *)ids, found * (Py_ssize_t)sizeof(int32_t), (const char *)counts,
                           found * (Py_ssize_t)sizeof(float));
done:
    if (slot != NULL && ids != NULL)
        for (Py_ssize_t i = 0; i < found; i++)
            slot[ids[i]] = 0;
    PyMem_Free(ids);
    PyMem_Free(counts);
    PyMem_Free(emitted);
    PyBuffer_Release(&data);
    PyBuffer_Release(&nextmove);
    PyBuffer_Release(&rowbase);
    PyBuffer_Release(&out);
    return result;
}

/* IEEE half to single precision, exactly (every half is a float) */
static float half_to_float(uint16_t h)
{
    uint32_t sign = (uint32_t)(h & 0x8000u) << 16, exponent = (h >> 10) & 0x1Fu, mantissa = h & 0x3FFu, bits;
    if (exponent == 0x1F) /* infinity, NaN (payload kept) */
        bits = sign | 0x7F800000u | (mantissa << 13);
    else if (exponent != 0)
        bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
    else if (mantissa == 0)
        bits = sign;
    else { /* subnormal: shift the mantissa up to its leading one */
        exponent = 113;
        while (!(mantissa & 0x400u)) {
            mantissa <<= 1;
            exponent--;
        }
        bits = sign | (exponent << 23) | ((mantissa & 0x3FFu) << 13);
    }
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

/* every half's float, filled once: a language guess converts ~700 rows of
 * 142 halves, and a table lookup is several times faster than the bit
 * arithmetic. Where the processor has F16C, converting eight at a time is
 * faster again (about half the time of the gather, measured with
 * bench/fields.py); the table stays for the rest. */
static float *half_table;

static int half_table_fill(void)
{
    half_table = PyMem_Malloc(65536 * sizeof(float));
    if (half_table == NULL)
        return -1;
    for (uint32_t h = 0; h < 65536; h++)
        half_table[h] = half_to_float((uint16_t)h);
    return 0;
}

/* x86's F16C converts eight halves in one instruction, exactly like the
 * table except that it quiets a signalling NaN: a row's eight halves that
 * hold an infinity or NaN (all exponent bits set, never in the language
 * model) leave the rest of the row to the table. Compiled for AVX and F16C
 * alone (no FMA: each product and sum is rounded, as the pure twin's numpy
 * rounds them) and used only when the processor has them, so the module
 * still runs on any x86-64. */
#if (defined(__GNUC__) || defined(__clang__)) && defined(__x86_64__)
#define HAVE_F16C_PATH 1
#include <immintrin.h>
static int use_f16c;

/* sums[j] += weight * row[j] for the row's first eight-column blocks;
 * returns the columns done */
__attribute__((target("avx,f16c"))) static Py_ssize_t add_row_f16c(const uint16_t *row, float weight, float *sums,
                                                                  Py_ssize_t n)
{
    Py_ssize_t j = 0;
    const __m256 w = _mm256_set1_ps(weight);
    const __m128i exponent = _mm_set1_epi16(0x7C00);
    for (; j + 8 <= n; j += 8) {
        __m128i halves = _mm_loadu_si128((const __m128i *)(row + j));
        if (_mm_movemask_epi8(_mm_cmpeq_epi16(_mm_and_si128(halves, exponent), exponent)))
            break;
        __m256 product = _mm256_mul_ps(_mm256_cvtph_ps(halves), w);
        _mm256_storeu_ps(sums + j, _mm256_add_ps(_mm256_loadu_ps(sums + j), product));
    }
    return j;
}
#else
#define HAVE_F16C_PATH 0
#endif

/* into every cache level (locality 3): a non-temporal prefetch (0) kept the
 * rows out of L2, and the gather of an article after normalizing took
 * 0.050 ms instead of 0.036 (tried in alternation, CPU time) */
#if defined(__GNUC__) || defined(__clang__)
#define PREFETCH(address) __builtin_prefetch((address), 0, 3)
#else
#define PREFETCH(address) ((void)(address))
#endif
enum { GATHER_AHEAD = 8 };

/* ---- py3langid's float32 arithmetic on the scores of one text, around
 * numpy's exp and sum (whose float32 results are numpy's own): each step a
 * numpy call on 142 floats cost more than its arithmetic, and the language
 * guess runs after normalizing has taken numpy's code out of the caches ---- */

/* numpy's argmax of float32: the first of equal maxima, or the first NaN
 * (where its max stands too) */
static Py_ssize_t argmax_of(const float *s, Py_ssize_t n)
{
    Py_ssize_t best = 0;
    for (Py_ssize_t i = 1; i < n && s[best] == s[best]; i++)
        if (!(s[i] <= s[best]))
            best = i;
    return best;
}

/* sums = the weighted rows of a float16 table, added row after row: the
 * rows are read once, straight from the (memory-mapped) table, instead of
 * copied out as float32 for a matrix product */
static void add_weighted_rows(const uint16_t *half, Py_ssize_t columns, const int32_t *row, const float *weight,
                              Py_ssize_t count, float *sums)
{
    memset(sums, 0, columns * sizeof(float));
    for (Py_ssize_t i = 0; i < count; i++) {
        const uint16_t *from = half + (Py_ssize_t)row[i] * columns;
        /* a row's cache lines asked for GATHER_AHEAD rows early: between two
         * articles the rest of the pipeline evicts the table, and each row
         * is then several cache misses and a TLB miss that would otherwise
         * wait in turn (in bench/fields.py the gather took 0.07 ms instead
         * of 0.095; in a loop over the same texts, where the rows stay
         * cached, it costs a little) */
        if (i + GATHER_AHEAD < count) {
            const char *ahead = (const char *)(half + (Py_ssize_t)row[i + GATHER_AHEAD] * columns);
            for (Py_ssize_t byte = 0; byte < columns * 2; byte += 64)
                PREFETCH(ahead + byte);
        }
        Py_ssize_t j = 0;
#if HAVE_F16C_PATH
        if (use_f16c)
            j = add_row_f16c(from, weight[i], sums, columns);
#endif
        for (; j < columns; j++)
            sums[j] += weight[i] * half_table[from[j]];
    }
}

static PyObject *class_scores(PyObject *self, PyObject *args)
{
    Py_buffer table, ids, weights, priors, scores;
    double scale;
    if (!PyArg_ParseTuple(args, "y*y*y*y*dw*:class_scores", &table, &ids, &weights, &priors, &scale, &scores))
        return NULL;
    PyObject *result = NULL;
    Py_ssize_t n = scores.len / 4, count = ids.len / 4, rows = n > 0 ? table.len / 2 / n : 0;
    if (n == 0 || scores.len % 4 || priors.len != scores.len || table.len % (2 * n) || ids.len % 4 ||
        weights.len != ids.len) {
        PyErr_SetString(PyExc_ValueError, "scores and priors must be float32 arrays of one non-zero size, table rows "
                                          "of as many float16, ids int32 and weights float32 of one size");
        goto done;
    }
    const int32_t *row = ids.buf;
    for (Py_ssize_t i = 0; i < count; i++)
        if (row[i] < 0 || row[i] >= rows) {
            PyErr_SetString(PyExc_IndexError, "row id outside the table");
            goto done;
        }
    float *s = scores.buf, factor = (float)scale; /* numpy casts the Python float to float32 */
    const float *p = priors.buf;
    add_weighted_rows(table.buf, n, row, weights.buf, count, s);
    for (Py_ssize_t i = 0; i < n; i++) {
        s[i] += p[i];
        s[i] *= factor;
    }
    float top = s[argmax_of(s, n)];
    for (Py_ssize_t i = 0; i < n; i++)
        s[i] -= top;
    result = Py_NewRef(Py_None);
done:
    PyBuffer_Release(&table);
    PyBuffer_Release(&ids);
    PyBuffer_Release(&weights);
    PyBuffer_Release(&priors);
    PyBuffer_Release(&scores);
    return result;
}

static PyObject *pick_label(PyObject *self, PyObject *args)
{
    Py_buffer scores, aliases;
    double total;
    if (!PyArg_ParseTuple(args, "w*dy*:pick_label", &scores, &total, &aliases))
        return NULL;
    PyObject *result = NULL;
    Py_ssize_t n = scores.len / 4, pairs = aliases.len / 8;
    float *s = scores.buf, sum = (float)total; /* a float32 sum: exact */
    const int32_t *pair = aliases.buf;
    if (n == 0 || scores.len % 4 || aliases.len % 8) {
        PyErr_SetString(PyExc_ValueError, "scores must be a non-empty float32 array, aliases int32 pairs");
        goto done;
    }
    for (Py_ssize_t k = 0; k < 2 * pairs; k++)
        if (pair[k] < 0 || pair[k] >= n) {
            PyErr_SetString(PyExc_IndexError, "an alias outside the scores");
            goto done;
        }
    for (Py_ssize_t i = 0; i < n; i++)
        s[i] /= sum;
    for (Py_ssize_t k = 0; k < pairs; k++) {
        s[pair[2 * k]] += s[pair[2 * k + 1]];
        s[pair[2 * k + 1]] = 0.0f;
    }
    Py_ssize_t best = argmax_of(s, n);
    result = Py_BuildValue("(nd)", best, (double)s[best]);
done:
    PyBuffer_Release(&scores);
    PyBuffer_Release(&aliases);
    return result;
}

/* ---- words and tokens ---- */


typedef struct {
    Py_ssize_t words, word_chars, tokens, letter_tokens;
    int in_word, in_token, has_letter;
} Tokens;

static ALWAYS_INLINE void token_step(Tokens *t, Py_UCS4 ch)
{
    if (IS_WORD(ch)) {
        t->words += !t->in_word;
        t->word_chars++;
        t->in_word = 1;
        /* [^\W\d_]: a word character that is neither a digit nor "_" */
        t->has_letter |= ch != '_' && !IS_DECIMAL(ch);
    }
    else
        t->in_word = 0;
    /* a token: a run of characters str.split() keeps */
    if (IS_SPACE(ch)) {
        t->tokens += t->in_token;
        t->letter_tokens += t->in_token && t->has_letter;
        t->in_token = t->has_letter = 0;
    }
    else
        t->in_token = 1;
}

static PyObject *token_counts(PyObject *self, PyObject *arg)
{
    if (!is_str(arg, "token_counts"))
        return NULL;
    const void *data = PyUnicode_DATA(arg);
    Py_ssize_t length = PyUnicode_GET_LENGTH(arg);
    Tokens t = {0};
    /* one loop per character width, rather than a width test per character */
    switch (PyUnicode_KIND(arg)) {
    case PyUnicode_1BYTE_KIND:
        for (Py_ssize_t i = 0; i < length; i++)
            token_step(&t, ((const Py_UCS1 *)data)[i]);
        break;
    case PyUnicode_2BYTE_KIND:
        for (Py_ssize_t i = 0; i < length; i++)
            token_step(&t, ((const Py_UCS2 *)data)[i]);
        break;
    default:
        for (Py_ssize_t i = 0; i < length; i++)
            token_step(&t, ((const Py_UCS4 *)data)[i]);
    }
    t.tokens += t.in_token;
    t.letter_tokens += t.in_token && t.has_letter;
    return Py_BuildValue("(nnnn)", t.words, t.word_chars, t.tokens, t.letter_tokens);
}

/* ---- one pass over a body: its tokens, lowered stop words and casefolded word shingles ---- */

/* What a non-ASCII character lowers and casefolds to, and whether each keeps
 * the words of a text (casing.keeps_words, per character): asked of str once
 * per character and kept, direct-mapped by code point (an article holds a
 * few dozen distinct ones). */
typedef struct {
    Py_UCS4 ch; /* 0: empty (NUL is ASCII, never asked) */
    Py_UCS4 lower;
    unsigned char word, letter, space, lower_keeps, fold_keeps, nfold;
    Py_UCS4 fold[3];
} Folding;

enum { FOLDINGS = 4096 };
static Folding foldings[FOLDINGS];

static const Folding *folding_of(Py_UCS4 ch)
{
    Folding *slot = &foldings[ch & (FOLDINGS - 1)];
    if (slot->ch == ch)
        return slot;
    PyObject *one = PyUnicode_FromOrdinal((int)ch);
    if (one == NULL)
        return NULL;
    PyObject *folded = PyObject_CallMethod(one, "casefold", NULL);
    Py_DECREF(one);
    if (folded == NULL)
        return NULL;
    Folding entry = {0};
    entry.ch = ch;
    entry.word = IS_WORD(ch) != 0;
    entry.letter = entry.word && !IS_DECIMAL(ch); /* [^\W\d_] */
    entry.space = IS_SPACE(ch) != 0;
    entry.lower = Py_UNICODE_TOLOWER(ch);
    /* str.lower() gives the simple mapping but for U+0130 (two characters,
     * the second no word character) and the sigma (by its context):
     * keeps_words says no to both */
    entry.lower_keeps = ch != 0x130 && ch != 0x3A3 && (IS_WORD(entry.lower) != 0) == entry.word;
    Py_ssize_t n = PyUnicode_GET_LENGTH(folded);
    if (n < 1 || n > 3) { /* Unicode folds a character to one, two or three */
        Py_DECREF(folded);
        PyErr_Format(PyExc_ValueError, "U+%04X casefolds to %zd characters", (unsigned)ch, n);
        return NULL;
    }
    entry.nfold = (unsigned char)n;
    entry.fold_keeps = 1;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ_CHAR(folded, i);
        entry.fold[i] = c;
        entry.fold_keeps &= (IS_WORD(c) != 0) == entry.word;
    }
    Py_DECREF(folded);
    *slot = entry;
    return slot;
}

enum { STOP_WORD_MAX = 64 };

/* the characters body_words counts (kernels.BODY_MARKS), and runs of "." for
 * "..." (str.count: non-overlapping, so a run of k counts k / 3) */
enum { M_HASH, M_ELLIPSIS, M_DOTS, M_NEWLINE, M_OPEN, M_LOW, M_CLOSE, M_STRAIGHT, MARKS };

typedef struct {
    Tokens t;
    Py_ssize_t marks[MARKS], dots;
    int lower_keeps, fold_keeps, in_word, lookup;
    Py_ssize_t stop, count, used, wlen;
    unsigned char *joined;
    Py_ssize_t *at;
    Py_UCS4 lowered[STOP_WORD_MAX];
} BodyPass;

/* a word is looked up only when no longer than the longest stop word, and
 * hashed then, from its lowered characters: most words are longer, and a
 * hash step per character (a multiply each, one after the other) was a
 * tenth of the pass */
static ALWAYS_INLINE void body_word_end(BodyPass *s)
{
    s->joined[s->used++] = ' ';
    s->in_word = 0;
    if (s->lookup && s->wlen <= word_table.longest) {
        uint64_t h = 14695981039346656037ull;
        for (Py_ssize_t i = 0; i < s->wlen; i++)
            h = fnv1a_step(h, s->lowered[i]);
        s->stop += word_table_has(&word_table, PyUnicode_4BYTE_KIND, s->lowered, 0, s->wlen, h);
    }
}

/* the end of a run of "." (or of none): str.count("...") counts k / 3 in a run of k */
static ALWAYS_INLINE void body_dots_end(BodyPass *s)
{
    s->marks[M_DOTS] += s->dots / 3;
    s->dots = 0;
}

/* a word character: a new word begins unless one is going on */
static ALWAYS_INLINE void body_word_start(BodyPass *s)
{
    if (!s->in_word) {
        body_dots_end(s);
        s->at[s->count++] = s->used;
        s->wlen = 0;
        s->in_word = 1;
    }
}

/* one word character: `lower` into the word's lowered characters, its
 * casefolding (`fold`, `nfold` characters) into the joined words */
static ALWAYS_INLINE void body_word_char(BodyPass *s, Py_UCS4 lower, const Py_UCS4 *fold, int nfold)
{
    body_word_start(s);
    if (s->wlen < STOP_WORD_MAX)
        s->lowered[s->wlen] = lower;
    s->wlen++;
    if (nfold == 0)
        s->joined[s->used++] = (unsigned char)lower; /* ASCII: lowered is casefolded */
    else
        for (int k = 0; k < nfold; k++)
            s->used += utf8_put(s->joined + s->used, fold[k]);
}

/* a character that is no word character: it may end a word, and a token
 * when it is a space */
static ALWAYS_INLINE void body_gap(BodyPass *s, int space)
{
    if (s->in_word)
        body_word_end(s);
    if (space) {
        s->t.tokens += s->t.in_token;
        s->t.letter_tokens += s->t.in_token && s->t.has_letter;
        s->t.in_token = s->t.has_letter = 0;
    }
    else
        s->t.in_token = 1;
}

/* token_step's counts, each character classified once (non-ASCII ones by
 * their Folding) */
static ALWAYS_INLINE int body_step(BodyPass *s, Py_UCS4 ch)
{
    if (ch < 128) {
        unsigned char c = ascii_class[ch];
        if (c & C_WORD) {
            s->t.word_chars++;
            s->t.has_letter |= (c & C_LETTER) != 0;
            s->t.in_token = 1;
            body_word_char(s, ch >= 'A' && ch <= 'Z' ? ch + 32 : ch, NULL, 0);
            return 0;
        }
        if (ch == '.') {
            s->dots++;
            body_gap(s, 0);
            return 0;
        }
        body_dots_end(s);
        switch (ch) {
        case '#':
            s->marks[M_HASH]++;
            break;
        case '\n':
            s->marks[M_NEWLINE]++;
            break;
        case '"':
            s->marks[M_STRAIGHT]++;
            break;
        }
        body_gap(s, (c & C_SPACE) != 0);
        return 0;
    }
    const Folding *f = folding_of(ch);
    if (f == NULL)
        return -1;
    s->lower_keeps &= f->lower_keeps;
    s->fold_keeps &= f->fold_keeps;
    if (f->word) {
        s->t.word_chars++;
        s->t.has_letter |= f->letter;
        s->t.in_token = 1;
        body_word_char(s, f->lower, f->fold, f->nfold);
        return 0;
    }
    body_dots_end(s);
    s->marks[M_ELLIPSIS] += ch == 0x2026;
    s->marks[M_OPEN] += ch == 0x201C;
    s->marks[M_LOW] += ch == 0x201E;
    s->marks[M_CLOSE] += ch == 0x201D;
    body_gap(s, f->space);
    return 0;
}

static PyObject *body_words(PyObject *self, PyObject *args)
{
    PyObject *text, *words, *a, *b;
    Py_ssize_t n;
    if (!PyArg_ParseTuple(args, "UOnOO:body_words", &text, &words, &n, &a, &b))
        return NULL;
    if (!PyAnySet_Check(words)) {
        PyErr_SetString(PyExc_TypeError, "the words must be a set or frozenset");
        return NULL;
    }
    if (n < 1) {
        PyErr_SetString(PyExc_ValueError, "n must be at least 1");
        return NULL;
    }
    int frozen = PyFrozenSet_CheckExact(words);
    if (frozen && word_table.set != words && word_table_build(&word_table, words) < 0)
        return NULL;
    int kind = PyUnicode_KIND(text);
    const void *chars = PyUnicode_DATA(text);
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    BodyPass s;
    memset(&s, 0, offsetof(BodyPass, lowered));
    s.lower_keeps = s.fold_keeps = 1;
    /* a set whose words the table cannot hold is asked by count_lowered_words_in */
    s.lookup = frozen && word_table.longest <= STOP_WORD_MAX;
    /* a character casefolds to at most three of at most 4 bytes each, and a
     * space ends each word; a text of L characters holds at most L / 2 + 1 words */
    s.joined = PyMem_Malloc(13 * (size_t)length + 1);
    s.at = PyMem_Malloc((length / 2 + 2) * sizeof(Py_ssize_t));
    PyObject *stop = NULL, *signature = NULL, *result = NULL;
    if (s.joined == NULL || s.at == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    /* A run of ASCII word characters (most of a body) is read in a loop of
     * its own, its state in locals: what body_step does for each of them,
     * without its branches for everything else. */
#define BODY_PASS(TYPE)                                                                                                \
    {                                                                                                                  \
        const TYPE *at = chars;                                                                                        \
        for (Py_ssize_t i = 0; i < length;) {                                                                          \
            Py_UCS4 ch = at[i];                                                                                        \
            if (ch >= 128 || !(ascii_class[ch] & C_WORD)) {                                                            \
                if (body_step(&s, ch) < 0)                                                                             \
                    goto done;                                                                                         \
                i++;                                                                                                   \
                continue;                                                                                              \
            }                                                                                                          \
            body_word_start(&s);                                                                                       \
            Py_ssize_t wlen = s.wlen, used = s.used, from = i;                                                         \
            unsigned char classes = 0;                                                                                 \
            do {                                                                                                       \
                classes |= ascii_class[ch];                                                                            \
                Py_UCS4 lower = ch >= 'A' && ch <= 'Z' ? ch + 32 : ch;                                                 \
                if (wlen < STOP_WORD_MAX)                                                                              \
                    s.lowered[wlen] = lower;                                                                           \
                wlen++;                                                                                                \
                s.joined[used++] = (unsigned char)lower; /* ASCII: lowered is casefolded */                            \
            } while (++i < length && (ch = at[i]) < 128 && (ascii_class[ch] & C_WORD));                                \
            s.wlen = wlen;                                                                                             \
            s.used = used;                                                                                             \
            s.t.word_chars += i - from;                                                                                \
            s.t.has_letter |= (classes & C_LETTER) != 0;                                                               \
            s.t.in_token = 1;                                                                                          \
        }                                                                                                              \
    }
    FOR_KIND(kind, BODY_PASS)
#undef BODY_PASS
    if (s.in_word)
        body_word_end(&s);
    s.t.words = s.count;
    s.t.tokens += s.t.in_token;
    s.t.letter_tokens += s.t.in_token && s.t.has_letter;
    s.marks[M_DOTS] += s.dots / 3;
    s.at[s.count] = s.used;
    if (!s.lower_keeps)
        stop = Py_NewRef(Py_None);
    else if (s.lookup)
        stop = PyLong_FromSsize_t(s.stop);
    else {
        PyObject *pair = PyTuple_Pack(2, text, words);
        stop = pair == NULL ? NULL : count_lowered_words_in(self, pair);
        Py_XDECREF(pair);
    }
    if (stop == NULL)
        goto done;
    if (!s.fold_keeps)
        signature = Py_NewRef(Py_None);
    else if (s.count == 0)
        signature = PyBytes_FromStringAndSize(NULL, 0);
    else {
        Perms p;
        if (perms_get(a, b, &p) < 0)
            goto done;
        signature = signature_of_joined(s.joined, s.at, s.count, n, &p);
        perms_release(&p);
    }
    if (signature == NULL)
        goto done;
    result = Py_BuildValue("(nnnnOO(nnnnnnnn))", s.t.words, s.t.word_chars, s.t.tokens, s.t.letter_tokens, stop,
                           signature, s.marks[M_HASH], s.marks[M_ELLIPSIS], s.marks[M_DOTS], s.marks[M_NEWLINE],
                           s.marks[M_OPEN], s.marks[M_LOW], s.marks[M_CLOSE], s.marks[M_STRAIGHT]);
done:
    Py_XDECREF(stop);
    Py_XDECREF(signature);
    PyMem_Free(s.joined);
    PyMem_Free(s.at);
    return result;
}

/* char_shingle_signature of the casefolded \w+ words of a text joined by
 * one space, built in UTF-8 from the characters (no str of the words, nor
 * of them joined); the foldings are folding_of's */
static PyObject *remark_signature(PyObject *self, PyObject *args)
{
    PyObject *text, *a, *b;
    Py_ssize_t n;
    if (!text_n_args(args, "UnOO:remark_signature", &text, &n, &a, &b))
        return NULL;
    int kind = PyUnicode_KIND(text);
    const void *chars = PyUnicode_DATA(text);
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    /* each character folds to at most three of at most 4 bytes, and a space
     * may stand before it */
    unsigned char *joined = PyMem_Malloc(13 * (size_t)length + 1);
    Py_ssize_t *at = PyMem_Malloc((4 * (size_t)length + 1) * sizeof(Py_ssize_t));
    PyObject *out = NULL;
    Perms p;
    if (perms_get(a, b, &p) < 0)
        goto free;
    if (joined == NULL || at == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t used = 0, c = 0;
    int in_word = 0, words = 0;
    for (Py_ssize_t i = 0; i < length; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, chars, i);
        const Folding *f = NULL;
        if (ch >= 128) {
            f = folding_of(ch);
            if (f == NULL)
                goto done;
        }
        if (f == NULL ? !(ascii_class[ch] & C_WORD) : !f->word) {
            in_word = 0;
            continue;
        }
        if (!in_word && words++) {
            at[c++] = used;
            joined[used++] = ' ';
        }
        in_word = 1;
        if (f == NULL) {
            at[c++] = used;
            joined[used++] = (unsigned char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
        }
        else
            for (int k = 0; k < f->nfold; k++) {
                at[c++] = used;
                used += utf8_put(joined + used, f->fold[k]);
            }
    }
    at[c] = used;
    out = signature_of_chars(joined, at, c, n, &p);
done:
    perms_release(&p);
free:
    PyMem_Free(joined);
    PyMem_Free(at);
    return out;
}

/* title_line: whether a "\n"-separated line of a text reads `key` once its
 * runs of whitespace are one space, stripped, and casefolded; None when
 * casefolding the text changes its length. Each line is compared a
 * character at a time and left at its first difference: no folded copy. */
static PyObject *title_line(PyObject *self, PyObject *args)
{
    PyObject *text, *key;
    if (!PyArg_ParseTuple(args, "UU:title_line", &text, &key))
        return NULL;
    int kind = PyUnicode_KIND(text), key_kind = PyUnicode_KIND(key);
    const void *chars = PyUnicode_DATA(text), *keys = PyUnicode_DATA(key);
    Py_ssize_t length = PyUnicode_GET_LENGTH(text), key_length = PyUnicode_GET_LENGTH(key);
    for (Py_ssize_t i = 0; (i = next_non_ascii(kind, chars, i, length)) < length; i++) {
        const Folding *f = folding_of(PyUnicode_READ(kind, chars, i));
        if (f == NULL)
            return NULL;
        if (f->nfold != 1)
            Py_RETURN_NONE;
    }
    Py_ssize_t i = 0;
    while (i <= length) {
        /* one line: from i to the next "\n" */
        Py_ssize_t at = 0; /* the key's characters matched */
        int space = 0, started = 0, same = 1;
        for (; i < length; i++) {
            Py_UCS4 ch = PyUnicode_READ(kind, chars, i);
            if (ch == '\n')
                break;
            if (!same) { /* the rest of the line cannot make it the key */
                static const Py_UCS4 newline[] = {'\n'};
                i = find_any(kind, chars, i, length, newline, 1);
                break;
            }
            if (IS_SPACE(ch)) {
                space = started;
                continue;
            }
            Py_UCS4 folded = ch < 128 ? (ch >= 'A' && ch <= 'Z' ? ch + 32 : ch) : folding_of(ch)->fold[0];
            if (space) {
                same = at < key_length && PyUnicode_READ(key_kind, keys, at) == ' ';
                at++;
                space = 0;
            }
            same = same && at < key_length && PyUnicode_READ(key_kind, keys, at) == folded;
            at++;
            started = 1;
        }
        if (same && at == key_length)
            Py_RETURN_TRUE;
        i++; /* past the "\n" */
    }
    Py_RETURN_FALSE;
}

static PyObject *word_count(PyObject *self, PyObject *arg)
{
    if (!is_str(arg, "word_count"))
        return NULL;
    const void *data = PyUnicode_DATA(arg);
    Py_ssize_t length = PyUnicode_GET_LENGTH(arg), words = 0;
    int in_word = 0;
#define COUNT_WORDS(TYPE)                                                                                              \
    for (Py_ssize_t i = 0; i < length; i++) {                                                                          \
        Py_UCS4 ch = ((const TYPE *)data)[i];                                                                          \
        int word = IS_WORD(ch) != 0;                                                                                   \
        words += word && !in_word;                                                                                     \
        in_word = word;                                                                                                \
    }
    FOR_KIND(PyUnicode_KIND(arg), COUNT_WORDS)
#undef COUNT_WORDS
    return PyLong_FromSsize_t(words);
}

/* fingerprints._QUOTE.findall: an opening mark, then at least 10
 * characters none of which is a quotation mark or a line break, then a
 * closing mark. A closing mark is none of those characters, so the lazy
 * repeat ends where the run of them ends: the match is that whole run, when
 * it is long enough and a closing mark follows. */
static int is_quote_close(Py_UCS4 ch)
{
    return ch == 0x201D || ch == '"';
}

static PyObject *quotations(PyObject *self, PyObject *text)
{
    if (!is_str(text, "quotations"))
        return NULL;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    PyObject *found = PyList_New(0);
    if (found == NULL)
        return NULL;
    /* the opening marks, and what ends a run inside quotation marks */
    static const Py_UCS4 opens[] = {0x201C, '"', 0x201E}, stops[] = {0x201C, 0x201D, '"', 0x201E, '\n'};
    Py_ssize_t i = 0;
    while ((i = find_any(kind, data, i, length, opens, 3)) < length) {
        Py_ssize_t end = find_any(kind, data, i + 1, length, stops, 5);
        if (end - (i + 1) < 10 || end >= length || !is_quote_close(PyUnicode_READ(kind, data, end))) {
            i++;
            continue;
        }
        PyObject *quote = PyUnicode_Substring(text, i + 1, end);
        if (quote == NULL || PyList_Append(found, quote) < 0) {
            Py_XDECREF(quote);
            Py_DECREF(found);
            return NULL;
        }
        Py_DECREF(quote);
        i = end + 1;
    }
    return found;
}

/* ---- paragraphs and sentences (text_stats.counts) ---- */

static int has_word(int kind, const void *data, Py_ssize_t from, Py_ssize_t to)
{
    for (Py_ssize_t i = from; i < to; i++)
        if (IS_WORD(PyUnicode_READ(kind, data, i)))
            return 1;
    return 0;
}

/* the first sentence-ending mark in [i, to) (text_stats._SENTENCE_END's
 * first piece, [.!?…]), or to: the search reads every character of the text */
static Py_ssize_t next_end(int kind, const void *data, Py_ssize_t i, Py_ssize_t to)
{
    static const Py_UCS4 ends[] = {'.', '!', '?', 0x2026};
    return find_any(kind, data, i, to, ends, 4);
}

static int is_closer(Py_UCS4 ch)
{
    return ch == '"' || ch == 0x201D || ch == 0x2019 || ch == '\'' || ch == ')' || ch == ']';
}

static int is_opener(Py_UCS4 ch)
{
    return ch == '"' || ch == 0x201C || ch == 0x2018 || ch == '\'' || ch == '(' || ch == '[';
}

static int is_starter(Py_UCS4 ch)
{
    return (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || (ch >= 0xC0 && ch <= 0x24F);
}

/* text_stats._INITIALISM.fullmatch: (?:[A-Z]\.?)+ */
static int is_initialism(int kind, const void *data, Py_ssize_t from, Py_ssize_t to)
{
    if (from >= to)
        return 0;
    for (Py_ssize_t i = from; i < to;) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        if (ch < 'A' || ch > 'Z')
            return 0;
        i++;
        if (i < to && PyUnicode_READ(kind, data, i) == '.')
            i++;
    }
    return 1;
}

/* len(text_stats.sentences(text[from:to])), or -1 on an error */
static Py_ssize_t sentences_of(PyObject *text, int kind, const void *data, Py_ssize_t from, Py_ssize_t to,
                               PyObject *abbreviations)
{
    Py_ssize_t count = 0, start = from, i = from;
    while ((i = next_end(kind, data, i, to)) < to) {
        /* punctuation, closing quotes, at least one space, then (after an
         * optional opening quote) what starts a sentence; none of those
         * characters is a space, so the match is the longest run of each */
        Py_ssize_t j = i + 1;
        while (j < to && is_closer(PyUnicode_READ(kind, data, j)))
            j++;
        Py_ssize_t k = j;
        while (k < to && IS_SPACE(PyUnicode_READ(kind, data, k)))
            k++;
        int ends = 0;
        if (k > j && k < to) {
            Py_UCS4 next = PyUnicode_READ(kind, data, k);
            ends = is_starter(next) ||
                   (is_opener(next) && k + 1 < to && is_starter(PyUnicode_READ(kind, data, k + 1)));
        }
        if (!ends) {
            i++;
            continue;
        }
        Py_ssize_t end = i + 1;
        if (PyUnicode_READ(kind, data, i) == '.') {
            /* the last word before the period, its trailing periods stripped */
            Py_ssize_t w = end;
            while (w > start && !IS_SPACE(PyUnicode_READ(kind, data, w - 1)))
                w--;
            Py_ssize_t stem_end = end;
            while (stem_end > w && PyUnicode_READ(kind, data, stem_end - 1) == '.')
                stem_end--;
            int skip = is_initialism(kind, data, w, stem_end);
            if (!skip) {
                PyObject *stem = PyUnicode_Substring(text, w, stem_end);
                if (stem == NULL)
                    return -1;
                skip = PySet_Contains(abbreviations, stem);
                Py_DECREF(stem);
                if (skip < 0)
                    return -1;
            }
            if (skip) { /* an abbreviation's period: the search goes on after the match */
                i = k;
                continue;
            }
        }
        count += has_word(kind, data, start, end);
        start = k;
        i = k;
    }
    return count + has_word(kind, data, start, to);
}

static PyObject *paragraphs_and_sentences(PyObject *self, PyObject *args)
{
    PyObject *text, *abbreviations;
    if (!text_set_args(args, "UO:paragraphs_and_sentences", &text, &abbreviations))
        return NULL;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t length = PyUnicode_GET_LENGTH(text), paragraphs = 0, sentences = 0, from = 0;
    /* text.split("\n\n"): each paragraph holding a word */
    static const Py_UCS4 newline[] = {'\n'};
    for (Py_ssize_t i = 0; i <= length; i++) {
        i = i < length ? find_any(kind, data, i, length, newline, 1) : length;
        if (i < length && !(i + 1 < length && PyUnicode_READ(kind, data, i + 1) == '\n'))
            continue;
        if (has_word(kind, data, from, i)) {
            Py_ssize_t found = sentences_of(text, kind, data, from, i, abbreviations);
            if (found < 0)
                return NULL;
            paragraphs++;
            sentences += found;
        }
        from = i + 2;
        i++; /* the second line break is part of the separator */
    }
    return Py_BuildValue("(nn)", paragraphs, sentences);
}

/* ---- line statistics (text_stats.quality) ---- */

/* text_stats._BULLET.match on a stripped line: a bullet sign or a number
 * with "." or ")", then a space */
static int is_bullet(int kind, const void *data, Py_ssize_t from, Py_ssize_t to)
{
    Py_UCS4 first = PyUnicode_READ(kind, data, from);
    Py_ssize_t i = from + 1;
    if (first == 0x2022 || first == 0x25CF || first == 0x25AA || first == 0x2023 || first == 0x25E6 || first == '-' ||
        first == '*' || first == 0x2013)
        ;
    else if (IS_DECIMAL(first)) {
        while (i < to && IS_DECIMAL(PyUnicode_READ(kind, data, i)))
            i++;
        if (i >= to)
            return 0;
        Py_UCS4 mark = PyUnicode_READ(kind, data, i);
        if (mark != '.' && mark != ')')
            return 0;
        i++;
    }
    else
        return 0;
    return i < to && IS_SPACE(PyUnicode_READ(kind, data, i));
}

/* text_stats._TERMINAL */
static int is_terminal(Py_UCS4 ch)
{
    switch (ch) {
    case '.': case '!': case '?': case '"': case 0x201D: case 0x2019: case '\'': case 0x2026: case ')':
    case 0x3002: case 0xFF01: case 0xFF1F: case 0x300D: case 0x300F: case 0xFF09:
        return 1;
    default:
        return 0;
    }
}

/* a line's characters as raw bytes (the str's kind a character), hashed a
 * word at a time: only to find the lines that may be equal, which memcmp
 * then tells (two lines of one str are equal exactly when their bytes are) */
static uint64_t line_hash(const unsigned char *p, Py_ssize_t n)
{
    uint64_t h = 0x9E3779B97F4A7C15ull ^ (uint64_t)n, x;
    for (; n >= 8; p += 8, n -= 8) {
        memcpy(&x, p, 8);
        h = (h ^ x) * 0xFF51AFD7ED558CCDull;
        h ^= h >> 32;
    }
    x = 0;
    memcpy(&x, p, (size_t)n);
    h = (h ^ x) * 0xC4CEB9FE1A85EC53ull;
    return h ^ (h >> 29);
}

typedef struct {
    Py_ssize_t a, b; /* the stripped line text[a:b] */
    uint64_t h;
} LineSpan;

static PyObject *line_stats(PyObject *self, PyObject *text)
{
    if (!is_str(text, "line_stats"))
        return NULL;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    const unsigned char *bytes = data;
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    Py_ssize_t lines = 0, bullets = 0, ellipses = 0, terminal = 0, short_lines = 0, duplicate_chars = 0;
    Py_ssize_t capacity = 64, size = 1;
    LineSpan *spans = PyMem_Malloc(capacity * sizeof(LineSpan));
    Py_ssize_t *table = NULL;
    if (spans == NULL)
        return PyErr_NoMemory();
    static const Py_UCS4 newline[] = {'\n'};
    Py_ssize_t from = 0;
    while (from <= length) {
        Py_ssize_t i = find_any(kind, data, from, length, newline, 1);
        /* the line from..i, stripped as str.strip() strips */
        Py_ssize_t a = from, b = i;
        from = i + 1;
        while (a < b && IS_SPACE(PyUnicode_READ(kind, data, a)))
            a++;
        while (b > a && IS_SPACE(PyUnicode_READ(kind, data, b - 1)))
            b--;
        if (a == b)
            continue;
        lines++;
        bullets += is_bullet(kind, data, a, b);
        Py_UCS4 last = PyUnicode_READ(kind, data, b - 1);
        ellipses += last == 0x2026 || (b - a >= 3 && last == '.' && PyUnicode_READ(kind, data, b - 2) == '.' &&
                                       PyUnicode_READ(kind, data, b - 3) == '.');
        terminal += is_terminal(last);
        short_lines += b - a <= 30;
        if (lines >= capacity) {
            LineSpan *more = PyMem_Realloc(spans, 2 * capacity * sizeof(LineSpan));
            if (more == NULL)
                goto no_memory;
            spans = more;
            capacity *= 2;
        }
        spans[lines].a = a;
        spans[lines].b = b;
        spans[lines].h = line_hash(bytes + a * kind, (b - a) * kind);
    }
    /* a line seen before adds its length again: spans[1..lines] in an open
     * addressing table at most half full (0: empty) */
    while (size < 2 * lines + 2)
        size *= 2;
    table = PyMem_Calloc(size, sizeof(Py_ssize_t));
    if (table == NULL)
        goto no_memory;
    for (Py_ssize_t k = 1; k <= lines; k++) {
        const LineSpan *line = &spans[k];
        Py_ssize_t n = line->b - line->a;
        for (size_t slot = line->h & (size - 1);; slot = (slot + 1) & (size - 1)) {
            if (table[slot] == 0) {
                table[slot] = k;
                break;
            }
            const LineSpan *seen = &spans[table[slot]];
            if (seen->h == line->h && seen->b - seen->a == n &&
                memcmp(bytes + seen->a * kind, bytes + line->a * kind, (size_t)(n * kind)) == 0) {
                duplicate_chars += n;
                break;
            }
        }
    }
    PyMem_Free(spans);
    PyMem_Free(table);
    return Py_BuildValue("(nnnnnn)", lines, bullets, ellipses, terminal, short_lines, duplicate_chars);
no_memory:
    PyMem_Free(spans);
    return PyErr_NoMemory();
}

/* ---- words a text writes solid (dehyphenation's evidence) ---- */

/* A solid word is a maximal run of word characters and hyphens (sre's \w,
 * "-", U+2010) made of letters alone ([^\W\d_]). A word asked about is
 * solid as written when it is such a run, and lowered when such a run
 * lowers to it: then it is checked exactly with str.lower(), of the run and
 * (as dehyphenate.SolidWords reads it) of the whole text at the run, after a
 * test by the simple lower-case mapping that never misses one (a full
 * mapping of one character is the simple one, bar the final sigma). */
enum { S_WORDISH = 1, S_LETTER = 2 };

/* S_WORDISH | S_LETTER bits of a character: ASCII from a table */
static unsigned char solid_ascii[128];

static void solid_ascii_fill(void)
{
    for (Py_UCS4 ch = 0; ch < 128; ch++) {
        int word = ascii_class[ch] & C_WORD;
        int letter = word && ch != '_' && !(ascii_class[ch] & C_DECIMAL);
        solid_ascii[ch] = (word || ch == '-' ? S_WORDISH : 0) | (letter ? S_LETTER : 0);
    }
}

static int solid_class_wide(Py_UCS4 ch)
{
    if (ch == 0x2010)
        return S_WORDISH;
    if (!Py_UNICODE_ISALNUM(ch))
        return 0;
    return S_WORDISH | (Py_UNICODE_ISDECIMAL(ch) ? 0 : S_LETTER);
}

#define SOLID_CLASS(ch) ((ch) < 128 ? solid_ascii[(ch)] : solid_class_wide(ch))

/* sets start, i (the run is [start, i)), letters, and longer when the run
 * holds U+0130, the one character whose str.lower() is two (tested); start
 * == length when no run is left */
#define NEXT_RUN(TYPE)                                                                                                 \
    do {                                                                                                               \
        const TYPE *chars = (const TYPE *)data;                                                                        \
        while (i < length && !(SOLID_CLASS(chars[i]) & S_WORDISH))                                                     \
            i++;                                                                                                       \
        start = i;                                                                                                     \
        letters = S_LETTER;                                                                                            \
        longer = 0;                                                                                                    \
        for (; i < length; i++) {                                                                                      \
            int c = SOLID_CLASS(chars[i]);                                                                             \
            if (!(c & S_WORDISH))                                                                                      \
                break;                                                                                                 \
            letters &= c;                                                                                              \
            longer |= chars[i] == 0x130;                                                                               \
        }                                                                                                              \
    } while (0)

/* 1 when the run [start, end) of text lowers to word, as SolidWords
 * decides it; 0 when not; -1 on an error. *lower: the whole text lowered,
 * made on first need (a new reference the caller releases). */
static int run_lowers_to(PyObject *text, Py_ssize_t start, Py_ssize_t end, PyObject *word, PyObject **lower)
{
    PyObject *run = PyUnicode_Substring(text, start, end);
    if (run == NULL)
        return -1;
    PyObject *run_lower = PyObject_CallMethod(run, "lower", NULL);
    Py_DECREF(run);
    if (run_lower == NULL)
        return -1;
    int same = PyUnicode_Compare(run_lower, word) == 0;
    Py_DECREF(run_lower);
    if (!same || PyErr_Occurred())
        return PyErr_Occurred() ? -1 : 0;
    if (*lower == NULL && (*lower = PyObject_CallMethod(text, "lower", NULL)) == NULL)
        return -1;
    if (PyUnicode_GET_LENGTH(*lower) != PyUnicode_GET_LENGTH(text))
        return 1; /* offsets differ: the run's own lowering decides */
    PyObject *at = PyUnicode_Substring(*lower, start, end);
    if (at == NULL)
        return -1;
    same = PyUnicode_Compare(at, word) == 0;
    Py_DECREF(at);
    return PyErr_Occurred() ? -1 : same;
}

static PyObject *solid_among(PyObject *self, PyObject *args)
{
    PyObject *text, *words;
    if (!PyArg_ParseTuple(args, "UO:solid_among", &text, &words))
        return NULL;
    PyObject *seq = PySequence_Fast(words, "the words must be a sequence of str");
    if (seq == NULL)
        return NULL;
    Py_ssize_t count = PySequence_Fast_GET_SIZE(seq);
    PyObject **items = PySequence_Fast_ITEMS(seq);
    for (Py_ssize_t i = 0; i < count; i++)
        if (!PyUnicode_Check(items[i])) {
            PyErr_SetString(PyExc_TypeError, "the words must be str");
            Py_DECREF(seq);
            return NULL;
        }
    PyObject *found = PySet_New(NULL), *lower = NULL;
    /* the words chained by length (a run is held only against words of its
     * length): head[n] is the first word of n characters + 1, next[w] the
     * next one + 1; done[w] once a word is found */
    enum { LONGEST = 128 };
    Py_ssize_t head[LONGEST + 1] = {0};
    Py_ssize_t *next = PyMem_Calloc(count ? count : 1, sizeof(Py_ssize_t));
    char *done = PyMem_Calloc(count ? count : 1, 1);
    if (found == NULL || done == NULL || next == NULL) {
        if (found != NULL)
            PyErr_NoMemory();
        goto fail;
    }
    for (Py_ssize_t w = count - 1; w >= 0; w--) {
        Py_ssize_t n = PyUnicode_GET_LENGTH(items[w]);
        if (n > 0 && n <= LONGEST) {
            next[w] = head[n];
            head[n] = w + 1;
        }
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t length = PyUnicode_GET_LENGTH(text), i = 0;
    while (i < length) {
        /* the next run of letters, read per kind of str (one branch on the
         * kind per run, not per character) */
        Py_ssize_t start;
        int letters, longer;
        switch (kind) {
        case PyUnicode_1BYTE_KIND:
            NEXT_RUN(Py_UCS1);
            break;
        case PyUnicode_2BYTE_KIND:
            NEXT_RUN(Py_UCS2);
            break;
        default:
            NEXT_RUN(Py_UCS4);
            break;
        }
        if (start == length)
            break;
        if (!letters)
            continue;
        if (longer) {
            /* it lowers to more characters than it has: asked of every word
             * (and then the text's lowering is longer too, so the run's own
             * lowering decides) */
            PyObject *run = PyUnicode_Substring(text, start, i), *run_lower = NULL;
            if (run != NULL)
                run_lower = PyObject_CallMethod(run, "lower", NULL);
            Py_XDECREF(run);
            if (run_lower == NULL)
                goto fail;
            for (Py_ssize_t w = 0; w < count; w++) {
                if (done[w] || PyUnicode_Compare(run_lower, items[w]) != 0)
                    continue;
                done[w] = 1;
                if (PySet_Add(found, items[w]) < 0) {
                    Py_DECREF(run_lower);
                    goto fail;
                }
            }
            Py_DECREF(run_lower);
        }
        if (i - start > LONGEST)
            continue;
        for (Py_ssize_t w = head[i - start] - 1; w >= 0; w = next[w] - 1) {
            PyObject *word = items[w];
            if (done[w])
                continue;
            int wkind = PyUnicode_KIND(word);
            const void *wdata = PyUnicode_DATA(word);
            int exact = 1, maybe = 1;
            for (Py_ssize_t k = 0; k < i - start && maybe; k++) {
                Py_UCS4 c = PyUnicode_READ(kind, data, start + k), wc = PyUnicode_READ(wkind, wdata, k);
                if (c == wc)
                    continue;
                exact = 0;
                maybe = Py_UNICODE_TOLOWER(c) == wc || (c == 0x3A3 && wc == 0x3C2);
            }
            int solid = exact;
            if (!exact && maybe && (solid = run_lowers_to(text, start, i, word, &lower)) < 0)
                goto fail;
            if (solid) {
                done[w] = 1;
                if (PySet_Add(found, word) < 0)
                    goto fail;
            }
        }
    }
    PyMem_Free(done);
    PyMem_Free(next);
    Py_XDECREF(lower);
    Py_DECREF(seq);
    return found;
fail:
    PyMem_Free(done);
    PyMem_Free(next);
    Py_XDECREF(lower);
    Py_XDECREF(found);
    Py_DECREF(seq);
    return NULL;
}

/* ---- the distinct non-ASCII characters of a text ---- */

static int ucs4_order(const void *x, const void *y)
{
    Py_UCS4 a = *(const Py_UCS4 *)x, b = *(const Py_UCS4 *)y;
    return (a > b) - (a < b);
}

/* a bit per BMP character (8 KiB) marks the ones seen; characters past the
 * BMP (emoji, rare) are gathered, sorted and counted once */
static PyObject *non_ascii(PyObject *self, PyObject *text)
{
    if (!is_str(text, "non_ascii"))
        return NULL;
    if (PyUnicode_IS_ASCII(text))
        return PyFrozenSet_New(NULL);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t length = PyUnicode_GET_LENGTH(text), astral = 0;
    uint64_t seen[65536 / 64] = {0};
    Py_UCS4 *far = NULL;
    PyObject *found = PyList_New(0), *result = NULL;
    if (found == NULL)
        return NULL;
    for (Py_ssize_t i = 0; (i = next_non_ascii(kind, data, i, length)) < length; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        if (ch < 65536) {
            if (seen[ch >> 6] >> (ch & 63) & 1)
                continue;
            seen[ch >> 6] |= (uint64_t)1 << (ch & 63);
            PyObject *one = PyUnicode_FromOrdinal((int)ch);
            if (one == NULL || PyList_Append(found, one) < 0) {
                Py_XDECREF(one);
                goto done;
            }
            Py_DECREF(one);
            continue;
        }
        if (far == NULL && (far = PyMem_Malloc(length * sizeof(Py_UCS4))) == NULL) {
            PyErr_NoMemory();
            goto done;
        }
        far[astral++] = ch;
    }
    if (astral)
        qsort(far, (size_t)astral, sizeof(Py_UCS4), ucs4_order);
    for (Py_ssize_t i = 0; i < astral; i++) {
        if (i && far[i] == far[i - 1])
            continue;
        PyObject *one = PyUnicode_FromOrdinal((int)far[i]);
        if (one == NULL || PyList_Append(found, one) < 0) {
            Py_XDECREF(one);
            goto done;
        }
        Py_DECREF(one);
    }
    result = PyFrozenSet_New(found);
done:
    PyMem_Free(far);
    Py_DECREF(found);
    return result;
}

/* ---- non-ASCII runs (residual.py's mojibake count) ---- */


static PyObject *non_ascii_runs(PyObject *self, PyObject *args)
{
    PyObject *text;
    Py_ssize_t gap;
    if (!PyArg_ParseTuple(args, "Un:non_ascii_runs", &text, &gap))
        return NULL;
    if (gap < 0) {
        PyErr_SetString(PyExc_ValueError, "gap must be at least 0");
        return NULL;
    }
    PyObject *runs = PyList_New(0);
    if (runs == NULL || PyUnicode_IS_ASCII(text))
        return runs;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    Py_ssize_t start = next_non_ascii(kind, data, 0, length);
    while (start < length) {
        /* the run goes on while the next non-ASCII character is at most
         * `gap` ASCII characters after the last one */
        Py_ssize_t last = start, next;
        while ((next = next_non_ascii(kind, data, last + 1, length)) < length && next - last - 1 <= gap)
            last = next;
        PyObject *span = Py_BuildValue("(nn)", start, last + 1);
        if (span == NULL || PyList_Append(runs, span) < 0) {
            Py_XDECREF(span);
            Py_DECREF(runs);
            return NULL;
        }
        Py_DECREF(span);
        start = next;
    }
    return runs;
}

static PyMethodDef methods[] = {
    {"count_lowered_words_in", count_lowered_words_in, METH_VARARGS,
     "count_lowered_words_in(text, words) -> int: \\w+ words of text.lower() in the set"},
    {"non_ascii_runs", non_ascii_runs, METH_VARARGS,
     "non_ascii_runs(text, gap) -> list[(start, end)]: the runs of non-ASCII characters at most gap ASCII ones apart"},
    {"non_ascii", non_ascii, METH_O, "non_ascii(text) -> frozenset: the distinct non-ASCII characters of text"},
    {"solid_among", solid_among, METH_VARARGS,
     "solid_among(text, words) -> set: the words text writes solid, as written or lowered"},
    {"word_shingle_signature", word_shingle_signature, METH_VARARGS,
     "word_shingle_signature(words, n, a, b) -> bytes: MinHash minima of the word n-grams"},
    {"text_shingle_signature", text_shingle_signature, METH_VARARGS,
     "text_shingle_signature(text, n, a, b) -> bytes: word_shingle_signature of the \\w+ words of text"},
    {"count_words_in", count_words_in, METH_VARARGS, "count_words_in(text, words) -> int: \\w+ words of text in the set"},
    {"char_shingle_signature", char_shingle_signature, METH_VARARGS,
     "char_shingle_signature(text, n, a, b) -> bytes: MinHash minima of the character n-grams"},
    {"band_keys", band_keys, METH_VARARGS,
     "band_keys(values, bands, rows, salt) -> list[int]: the LSH band keys of a signature (blake2b, 8 bytes)"},
    {"langid_features", langid_features, METH_VARARGS,
     "langid_features(data, nextmove, rowbase, out, n_features, depth) -> (ids, counts)"},
    {"class_scores", class_scores, METH_VARARGS,
     "class_scores(table, ids, weights, priors, scale, scores): in place, (the weighted float16 rows `ids` summed + "
     "priors) * float32(scale) less their maximum"},
    {"pick_label", pick_label, METH_VARARGS,
     "pick_label(scores, total, aliases) -> (index, score): in place, scores / total with each alias pair folded; "
     "their argmax"},
    {"paragraphs_and_sentences", paragraphs_and_sentences, METH_VARARGS,
     "paragraphs_and_sentences(text, abbreviations) -> (paragraphs, sentences) as text_stats.counts counts them"},
    {"line_stats", line_stats, METH_O,
     "line_stats(text) -> (lines, bullet lines, ellipsis lines, terminal lines, short lines, duplicate characters)"},
    {"quotations", quotations, METH_O, "quotations(text) -> list[str]: fingerprints._QUOTE.findall(text)"},
    {"word_count", word_count, METH_O, "word_count(text) -> int: the \\w+ words of text"},
    {"body_words", body_words, METH_VARARGS,
     "body_words(text, stop_words, n, a, b) -> (words, word characters, tokens, letter tokens, lowered stop words or "
     "None, signature of the casefolded word n-grams or None, counts of BODY_MARKS)"},
    {"remark_signature", remark_signature, METH_VARARGS,
     "remark_signature(text, n, a, b) -> bytes: char_shingle_signature of the casefolded \\w+ words joined by a space"},
    {"title_line", title_line, METH_VARARGS,
     "title_line(text, key) -> bool | None: a line of text reads key, spaces collapsed, stripped and casefolded"},
    {"token_counts", token_counts, METH_O,
     "token_counts(text) -> (words, word characters, tokens, tokens holding a letter)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "seedclean.extract._native", "Compiled inner loops of the extract stage.", -1, methods,
};

PyMODINIT_FUNC PyInit__native(void)
{
    crc_init();
    ascii_class_fill();
    solid_ascii_fill();
#if HAVE_AVX2_PATH
    __builtin_cpu_init();
    use_avx2 = __builtin_cpu_supports("avx2");
#endif
#if HAVE_F16C_PATH
    __builtin_cpu_init();
    use_f16c = __builtin_cpu_supports("avx") && __builtin_cpu_supports("f16c");
#endif
    if (half_table == NULL && half_table_fill() < 0)
        return PyErr_NoMemory();
    return PyModule_Create(&module);
}
