/* Compiled loops of the normalize stage (optional; see normalize/native.py).
 *
 * Each function here has a pure-Python twin of the same name in
 * normalize/native.py, and the tests check that both give the same answers.
 *
 * The line model's forest: every tree laid out complete to one depth (heap
 * order), as linemodel._Forest builds it. A line's score is summed in exactly
 * the order LineModel.explain sums it (base, then per tree the root's value
 * and each level's step), so the probabilities are bit for bit the same.
 * Plain C doubles, no fast-math: additions are not reordered.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* The model's arrays, borrowed from bytes-like objects for one call. */
typedef struct {
    Py_buffer feature, threshold, terms, step_feature, values;
    Py_ssize_t trees, depth, inner, leaves;
} Forest;

static void forest_release(Forest *f) {
    PyBuffer_Release(&f->feature);
    PyBuffer_Release(&f->threshold);
    PyBuffer_Release(&f->terms);
    PyBuffer_Release(&f->step_feature);
    PyBuffer_Release(&f->values);
}

/* feature: int32 (trees x inner); threshold: double (trees x inner);
 * terms: double (trees x leaves x (depth + 1)): the root's value, then each
 * level's step (child - parent); step_feature: int32 (trees x leaves x
 * depth), -1 where a level adds nothing; values: double (trees x leaves x
 * (depth + 1)), the value of each node on the leaf's path. */
static int forest_get(PyObject *model, Forest *f) {
    PyObject *feature, *threshold, *terms, *step_feature, *values;
    Py_ssize_t depth;
    memset(f, 0, sizeof(*f));
    if (!PyArg_ParseTuple(model, "OOOOOn", &feature, &threshold, &terms, &step_feature, &values, &depth))
        return -1;
    if (depth < 1 || depth > 30) {
        PyErr_SetString(PyExc_ValueError, "forest depth out of range");
        return -1;
    }
    if (PyObject_GetBuffer(feature, &f->feature, PyBUF_SIMPLE) < 0) goto fail;
    if (PyObject_GetBuffer(threshold, &f->threshold, PyBUF_SIMPLE) < 0) goto fail;
    if (PyObject_GetBuffer(terms, &f->terms, PyBUF_SIMPLE) < 0) goto fail;
    if (PyObject_GetBuffer(step_feature, &f->step_feature, PyBUF_SIMPLE) < 0) goto fail;
    if (PyObject_GetBuffer(values, &f->values, PyBUF_SIMPLE) < 0) goto fail;
    f->depth = depth;
    f->inner = ((Py_ssize_t)1 << depth) - 1;
    f->leaves = (Py_ssize_t)1 << depth;
    f->trees = f->feature.len / (Py_ssize_t)(sizeof(int32_t) * f->inner);
    if (f->feature.len != f->trees * f->inner * (Py_ssize_t)sizeof(int32_t) ||
        f->threshold.len != f->trees * f->inner * (Py_ssize_t)sizeof(double) ||
        f->terms.len != f->trees * f->leaves * (depth + 1) * (Py_ssize_t)sizeof(double) ||
        f->step_feature.len != f->trees * f->leaves * depth * (Py_ssize_t)sizeof(int32_t) ||
        f->values.len != f->terms.len) {
        PyErr_SetString(PyExc_ValueError, "forest arrays of inconsistent sizes");
        goto fail;
    }
    return 0;
fail:
    forest_release(f);
    return -1;
}

/* A row's features as doubles; -1 on error (not a sequence of numbers, or
 * a feature index past its end). */
static int row_values(PyObject *row, double *out, Py_ssize_t width) {
    PyObject *fast = PySequence_Fast(row, "a row of features must be a sequence");
    if (fast == NULL) return -1;
    if (PySequence_Fast_GET_SIZE(fast) != width) {
        Py_DECREF(fast);
        PyErr_SetString(PyExc_ValueError, "rows of features must all have the same length");
        return -1;
    }
    PyObject **items = PySequence_Fast_ITEMS(fast);
    for (Py_ssize_t i = 0; i < width; i++) {
        out[i] = PyFloat_AsDouble(items[i]);
        if (out[i] == -1.0 && PyErr_Occurred()) {
            Py_DECREF(fast);
            return -1;
        }
    }
    Py_DECREF(fast);
    return 0;
}

static int check_features(const Forest *f, Py_ssize_t width) {
    const int32_t *feature = (const int32_t *)f->feature.buf;
    const int32_t *step = (const int32_t *)f->step_feature.buf;
    for (Py_ssize_t i = 0; i < f->trees * f->inner; i++)
        if (feature[i] < 0 || feature[i] >= width) goto bad;
    for (Py_ssize_t i = 0; i < f->trees * f->leaves * f->depth; i++)
        if (step[i] < -1 || step[i] >= width) goto bad;
    return 0;
bad:
    PyErr_SetString(PyExc_ValueError, "forest decides on a feature the rows do not have");
    return -1;
}

/* The leaf of tree t a row reaches: right when value > threshold (so NaN
 * goes left, as in explain's "<=" test). */
static inline Py_ssize_t leaf_of(const Forest *f, Py_ssize_t t, const double *x) {
    const int32_t *feature = (const int32_t *)f->feature.buf + t * f->inner;
    const double *threshold = (const double *)f->threshold.buf + t * f->inner;
    Py_ssize_t at = 0;
    for (Py_ssize_t level = 0; level < f->depth; level++)
        at = 2 * at + 1 + (x[feature[at]] > threshold[at]);
    return at - f->inner;
}

/* forest_scores(model, base, rows) -> list of each row's score (log-odds). */
static PyObject *forest_scores(PyObject *self, PyObject *args) {
    PyObject *model, *rows;
    double base;
    Forest f;
    if (!PyArg_ParseTuple(args, "OdO", &model, &base, &rows)) return NULL;
    PyObject *seq = PySequence_Fast(rows, "rows must be a sequence");
    if (seq == NULL) return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    if (forest_get(model, &f) < 0) {
        Py_DECREF(seq);
        return NULL;
    }
    PyObject *out = PyList_New(n);
    double *x = NULL;
    Py_ssize_t width = -1;
    const double *terms = (const double *)f.terms.buf;
    if (out == NULL) goto fail;
    /* ROWS rows at a time: each row's sum is still made in explain's order,
     * but the sums of different rows are independent, and the processor
     * overlaps them (one row alone waits on each addition) */
    enum { ROWS = 4 };
    for (Py_ssize_t r = 0; r < n; r += ROWS) {
        Py_ssize_t m = n - r < ROWS ? n - r : ROWS;
        if (width < 0) {
            width = PySequence_Size(PySequence_Fast_GET_ITEM(seq, 0));
            if (width < 0) goto fail;
            if (check_features(&f, width) < 0) goto fail;
            x = PyMem_Malloc(sizeof(double) * ROWS * (width ? width : 1));
            if (x == NULL) {
                PyErr_NoMemory();
                goto fail;
            }
        }
        for (Py_ssize_t k = 0; k < m; k++)
            if (row_values(PySequence_Fast_GET_ITEM(seq, r + k), x + k * width, width) < 0) goto fail;
        double score[ROWS] = {base, base, base, base};
        for (Py_ssize_t t = 0; t < f.trees; t++) {
            const double *path[ROWS];
            for (Py_ssize_t k = 0; k < m; k++)
                path[k] = terms + (t * f.leaves + leaf_of(&f, t, x + k * width)) * (f.depth + 1);
            for (Py_ssize_t level = 0; level <= f.depth; level++)
                for (Py_ssize_t k = 0; k < m; k++) score[k] += path[k][level];
        }
        for (Py_ssize_t k = 0; k < m; k++) {
            PyObject *value = PyFloat_FromDouble(score[k]);
            if (value == NULL) goto fail;
            PyList_SET_ITEM(out, r + k, value);
        }
    }
    PyMem_Free(x);
    forest_release(&f);
    Py_DECREF(seq);
    return out;
fail:
    PyMem_Free(x);
    Py_XDECREF(out);
    forest_release(&f);
    Py_DECREF(seq);
    return NULL;
}

/* Rows at a time in the contributions' walk (see forest_scores) */
enum { GROUP = 4 };

/* The contributions per feature of m rows (m <= GROUP; row k's features at
 * x + k * width), each summed as explain sums them, in the order explain
 * first meets each feature: row k's features into order[k * width ...],
 * their sums into total[k * width + feature], their count into seen[k].
 * met: GROUP * width bytes, all 0 on entry and exit. The rows' walks are
 * independent and interleaved tree by tree: the processor overlaps them. */
static void rows_contributions(const Forest *f, const double *x, Py_ssize_t m, Py_ssize_t width, double *total,
                               Py_ssize_t *order, char *met, Py_ssize_t *seen) {
    const double *values = (const double *)f->values.buf;
    const int32_t *steps = (const int32_t *)f->step_feature.buf;
    for (Py_ssize_t k = 0; k < m; k++) seen[k] = 0;
    for (Py_ssize_t t = 0; t < f->trees; t++) {
        Py_ssize_t leaf[GROUP];
        for (Py_ssize_t k = 0; k < m; k++) leaf[k] = t * f->leaves + leaf_of(f, t, x + k * width);
        for (Py_ssize_t k = 0; k < m; k++) {
            const double *path = values + leaf[k] * (f->depth + 1);
            const int32_t *on = steps + leaf[k] * f->depth;
            double *sum = total + k * width;
            char *row_met = met + k * width;
            Py_ssize_t *row_order = order + k * width;
            for (Py_ssize_t level = 0; level < f->depth; level++) {
                int32_t feature = on[level];
                if (feature < 0) break; /* past a real leaf: nothing more */
                if (!row_met[feature]) {
                    row_met[feature] = 1;
                    sum[feature] = 0.0;
                    row_order[seen[k]++] = feature;
                }
                /* explain: contributions.get(name, 0.0) + child - value, left to right */
                sum[feature] = (sum[feature] + path[level + 1]) - path[level];
            }
        }
    }
    for (Py_ssize_t k = 0; k < m; k++)
        for (Py_ssize_t i = 0; i < seen[k]; i++) met[k * width + order[k * width + i]] = 0;
}

static PyObject *pairs(const Py_ssize_t *order, const double *total, Py_ssize_t count) {
    PyObject *out = PyList_New(count);
    if (out == NULL) return NULL;
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *pair = Py_BuildValue("(nd)", order[i], total[order[i]]);
        if (pair == NULL) {
            Py_DECREF(out);
            return NULL;
        }
        PyList_SET_ITEM(out, i, pair);
    }
    return out;
}

/* forest_contributions(model, row) -> [(feature index, contribution), ...]
 * in the order explain first meets each feature, each summed in explain's
 * order (tree by tree, root to leaf); with top=k, only the k largest, as a
 * stable sort by descending contribution puts them (ties in that order).
 * rows: one row, or with many=True a sequence of rows (one list per row). */
static PyObject *contributions(PyObject *rows, PyObject *model, Py_ssize_t top, int many) {
    PyObject *out = NULL, *seq = NULL;
    Forest f;
    if (forest_get(model, &f) < 0) return NULL;
    seq = many ? PySequence_Fast(rows, "rows must be a sequence") : PyTuple_Pack(1, rows);
    if (seq == NULL) {
        forest_release(&f);
        return NULL;
    }
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    Py_ssize_t width = n ? PySequence_Size(PySequence_Fast_GET_ITEM(seq, 0)) : 0;
    double *x = NULL;
    Py_ssize_t *order = NULL;
    char *met = NULL;
    if (width < 0) goto done;
    if (n == 0) { /* nothing to walk (only with many) */
        out = PyList_New(0);
        goto done;
    }
    x = PyMem_Calloc(2 * GROUP * (size_t)width + 1, sizeof(double));
    order = PyMem_Calloc(GROUP * (size_t)width + 1, sizeof(Py_ssize_t));
    met = PyMem_Calloc(GROUP * (size_t)width + 1, 1);
    if (x == NULL || order == NULL || met == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    if (check_features(&f, width) < 0) goto done;
    double *totals = x + GROUP * width;
    PyObject *results = PyList_New(n);
    if (results == NULL) goto done;
    for (Py_ssize_t r0 = 0; r0 < n; r0 += GROUP) {
        Py_ssize_t m = n - r0 < GROUP ? n - r0 : GROUP, seens[GROUP];
        for (Py_ssize_t k = 0; k < m; k++) {
            if (row_values(PySequence_Fast_GET_ITEM(seq, r0 + k), x + k * width, width) < 0) {
                Py_DECREF(results);
                goto done;
            }
        }
        rows_contributions(&f, x, m, width, totals, order, met, seens);
        for (Py_ssize_t g = 0; g < m; g++) {
            Py_ssize_t seen = seens[g], *row_order = order + g * width;
            const double *total = totals + g * width;
            if (top >= 0) { /* selection: the first of the largest, top times */
                Py_ssize_t keep = seen < top ? seen : top;
                for (Py_ssize_t k = 0; k < keep; k++) {
                    Py_ssize_t best = k;
                    for (Py_ssize_t i = k + 1; i < seen; i++)
                        if (-total[row_order[i]] < -total[row_order[best]]) best = i;
                    /* move the chosen one to place k, keeping the others' order */
                    Py_ssize_t chosen = row_order[best];
                    memmove(row_order + k + 1, row_order + k, (size_t)(best - k) * sizeof(Py_ssize_t));
                    row_order[k] = chosen;
                }
                seen = keep;
            }
            PyObject *row_out = pairs(row_order, total, seen);
            if (row_out == NULL) {
                Py_DECREF(results);
                goto done;
            }
            PyList_SET_ITEM(results, r0 + g, row_out);
        }
    }
    if (many) {
        out = results;
    } else {
        out = PyList_GET_ITEM(results, 0);
        Py_INCREF(out);
        Py_DECREF(results);
    }
done:
    PyMem_Free(x);
    PyMem_Free(order);
    PyMem_Free(met);
    forest_release(&f);
    Py_DECREF(seq);
    return out;
}

static PyObject *forest_contributions(PyObject *self, PyObject *args) {
    PyObject *model, *row;
    if (!PyArg_ParseTuple(args, "OO", &model, &row)) return NULL;
    return contributions(row, model, -1, 0);
}

/* forest_top(model, rows, k) -> per row, its k largest contributions */
static PyObject *forest_top(PyObject *self, PyObject *args) {
    PyObject *model, *rows;
    Py_ssize_t k;
    if (!PyArg_ParseTuple(args, "OOn", &model, &rows, &k)) return NULL;
    if (k < 0) {
        PyErr_SetString(PyExc_ValueError, "k must be >= 0");
        return NULL;
    }
    return contributions(rows, model, k, 1);
}

/* ---- lines and words ----------------------------------------------------
 * A word is a run of \w characters as Python's re reads \w in a str
 * pattern: alphanumeric (str.isalnum) or "_". */

static inline int ascii_alpha(Py_UCS4 ch) { return (ch | 0x20) >= 'a' && (ch | 0x20) <= 'z'; }

/* \w among ASCII: digits, "_" and letters. A table, not comparisons: in
 * running text letters and spaces alternate, and the branches of a chain of
 * comparisons were mispredicted at every word's ends */
static const unsigned char WORD_ASCII[128] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* controls */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* space to "/" */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, /* 0-9, ":" to "?" */
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* "@", A-O */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, /* P-Z, "[" to "^", "_" */
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* "`", a-o */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, /* p-z, "{" to DEL */
};

/* ASCII answered directly: the Unicode tables cost four lookups a character */
static inline int is_word(Py_UCS4 ch) {
    if (ch < 128) return WORD_ASCII[ch];
    return Py_UNICODE_ISALNUM(ch);
}

/* A str's characters in place (PEP 393), without copying; -1 if not a str. */
typedef struct {
    int kind;
    const void *data;
    Py_ssize_t n;
} Chars;

static int chars_of(PyObject *text, Chars *c) {
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "a str is needed");
        return -1;
    }
    if (PyUnicode_READY(text) < 0) return -1;
    c->kind = PyUnicode_KIND(text);
    c->data = PyUnicode_DATA(text);
    c->n = PyUnicode_GET_LENGTH(text);
    return 0;
}

/* The text of a split line (lines.Line: index, start, end, text, words),
 * borrowed; NULL with a TypeError when ``line`` is no such tuple. */
static PyObject *line_text(PyObject *line) {
    if (!PyTuple_Check(line) || PyTuple_GET_SIZE(line) < 4) {
        PyErr_SetString(PyExc_TypeError, "a line is a tuple (index, start, end, text, words)");
        return NULL;
    }
    return PyTuple_GET_ITEM(line, 3);
}

static Py_ssize_t words_in(int kind, const void *data, Py_ssize_t start, Py_ssize_t end) {
    Py_ssize_t words = 0;
    int in_word = 0;
    for (Py_ssize_t i = start; i < end; i++) {
        int w = is_word(PyUnicode_READ(kind, data, i));
        words += w && !in_word;
        in_word = w;
    }
    return words;
}

/* count_words(text) -> len(re.findall(r"\w+", text)) */
static PyObject *count_words(PyObject *self, PyObject *text) {
    Chars c;
    if (chars_of(text, &c) < 0) return NULL;
    return PyLong_FromSsize_t(words_in(c.kind, c.data, 0, c.n));
}

/* The words of the line starting at *at (up to the next "\n" or n), with
 * *at moved to its end: one function per string kind. */
#define LINE_WORDS(TYPE)                                                           \
    static Py_ssize_t line_words_##TYPE(const TYPE *chars, Py_ssize_t n, Py_ssize_t *at) { \
        Py_ssize_t i = *at, words = 0;                                             \
        int in_word = 0;                                                           \
        for (; i < n; i++) {                                                       \
            Py_UCS4 ch = chars[i];                                                 \
            if (ch == '\n') break;                                                 \
            int w = is_word(ch);                                                   \
            words += w & !in_word; /* no branch: see WORD_ASCII */                 \
            in_word = w;                                                           \
        }                                                                          \
        *at = i;                                                                   \
        return words;                                                              \
    }
LINE_WORDS(Py_UCS1)
LINE_WORDS(Py_UCS2)
LINE_WORDS(Py_UCS4)

/* scan_lines(text, line_type) -> [line_type(index, start, end, text, words), ...]
 * for every run of characters other than "\n" (re's [^\n]+), built as
 * tuples of line_type (a tuple subclass without instance fields). */
static PyObject *scan_lines(PyObject *self, PyObject *args) {
    PyObject *text, *out;
    PyTypeObject *type;
    if (!PyArg_ParseTuple(args, "UO!", &text, &PyType_Type, &type)) return NULL;
    if (!PyType_IsSubtype(type, &PyTuple_Type) || type->tp_dictoffset != 0) {
        PyErr_SetString(PyExc_TypeError, "scan_lines needs a tuple type without instance fields");
        return NULL;
    }
    Chars c;
    if (chars_of(text, &c) < 0) return NULL;
    int kind = c.kind;
    const void *data = c.data;
    Py_ssize_t n = c.n;
    out = PyList_New(0);
    if (out == NULL) return NULL;
    Py_ssize_t i = 0, index = 0;
    while (i < n) {
        if (PyUnicode_READ(kind, data, i) == '\n') {
            i++;
            continue;
        }
        Py_ssize_t start = i;
        Py_ssize_t words;
        /* one loop per string kind: the compiler sees a plain array */
        if (kind == PyUnicode_1BYTE_KIND)
            words = line_words_Py_UCS1((const Py_UCS1 *)data, n, &i);
        else if (kind == PyUnicode_2BYTE_KIND)
            words = line_words_Py_UCS2((const Py_UCS2 *)data, n, &i);
        else
            words = line_words_Py_UCS4((const Py_UCS4 *)data, n, &i);
        PyObject *line = type->tp_alloc(type, 5);
        if (line == NULL) goto fail;
        PyObject *fields[5] = {
            PyLong_FromSsize_t(index), PyLong_FromSsize_t(start), PyLong_FromSsize_t(i),
            PyUnicode_Substring(text, start, i), PyLong_FromSsize_t(words),
        };
        for (int f = 0; f < 5; f++) PyTuple_SET_ITEM(line, f, fields[f]);
        for (int f = 0; f < 5; f++) {
            if (fields[f] == NULL) {
                Py_DECREF(line);
                goto fail;
            }
        }
        int failed = PyList_Append(out, line);
        Py_DECREF(line);
        if (failed) goto fail;
        index++;
    }
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}

/* ---- line statistics for the line model ------------------------------------
 * What linefeatures reads of each line's characters, as Python computes it:
 * the \w+ words lower-cased (str.lower), CJK characters (linefeatures._CJK),
 * digits (str.isdigit), and of the words starting with a letter and longer
 * than three characters: how many, how many start upper-case, and whether
 * all are upper-case (str.isupper). */

static inline int is_cjk(Py_UCS4 ch) {
    return (ch >= 0x3040 && ch <= 0x30ff) || (ch >= 0x3400 && ch <= 0x4dbf) || (ch >= 0x4e00 && ch <= 0x9fff) ||
           (ch >= 0xac00 && ch <= 0xd7af) || (ch >= 0xf900 && ch <= 0xfaff);
}

/* str.isupper of text[start:end] (more than one character) */
static int word_isupper(int kind, const void *data, Py_ssize_t start, Py_ssize_t end) {
    int cased = 0;
    for (Py_ssize_t i = start; i < end; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        if (Py_UNICODE_ISLOWER(ch) || Py_UNICODE_ISTITLE(ch)) return 0;
        if (!cased && Py_UNICODE_ISUPPER(ch)) cased = 1;
    }
    return cased;
}

/* text[start:end].lower(): ASCII lowered here, the rest by str.lower */
static PyObject *word_lower(PyObject *text, int kind, const void *data, Py_ssize_t start, Py_ssize_t end) {
    Py_UCS4 max = 0;
    for (Py_ssize_t i = start; i < end; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        if (ch > max) max = ch;
    }
    if (max < 128) {
        PyObject *out = PyUnicode_New(end - start, 127);
        if (out == NULL) return NULL;
        Py_UCS1 *to = PyUnicode_1BYTE_DATA(out);
        for (Py_ssize_t i = start; i < end; i++) {
            Py_UCS4 ch = PyUnicode_READ(kind, data, i);
            to[i - start] = (Py_UCS1)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
        }
        return out;
    }
    PyObject *word = PyUnicode_Substring(text, start, end);
    if (word == NULL) return NULL;
    PyObject *out = PyObject_CallMethod(word, "lower", NULL);
    Py_DECREF(word);
    return out;
}

/* str.isalpha and str.isupper of one character, ASCII answered directly */
static inline int char_isalpha(Py_UCS4 ch) { return ch < 128 ? ascii_alpha(ch) : Py_UNICODE_ISALPHA(ch); }
static inline int char_isupper(Py_UCS4 ch) { return ch < 128 ? ch - 'A' < 26 : Py_UNICODE_ISUPPER(ch); }

/* text[start:end], all below 128, lower-cased (str.lower of ASCII) */
static PyObject *ascii_lower(int kind, const void *data, Py_ssize_t start, Py_ssize_t end) {
    PyObject *out = PyUnicode_New(end - start, 127);
    if (out == NULL) return NULL;
    Py_UCS1 *to = PyUnicode_1BYTE_DATA(out);
    for (Py_ssize_t i = start; i < end; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        to[i - start] = (Py_UCS1)(ch - 'A' < 26 ? ch + 32 : ch);
    }
    return out;
}

/* One line's row of line_stats. Its words are found first (their spans
 * kept in *spans, grown as needed), so the list is made at its size and
 * each word's ASCII-ness is known from the scan. */
static PyObject *line_stats_row(PyObject *text, Py_ssize_t **spans, Py_ssize_t *room) {
    Chars c;
    if (chars_of(text, &c) < 0) return NULL;
    Py_ssize_t cjk = 0, digits = 0, alpha = 0, upper_first = 0, count = 0;
    int all_upper = 1;
    Py_ssize_t i = 0;
    while (i < c.n) {
        Py_UCS4 ch = PyUnicode_READ(c.kind, c.data, i);
        cjk += is_cjk(ch);
        digits += ch < 128 ? ch - '0' < 10 : Py_UNICODE_ISDIGIT(ch);
        if (!is_word(ch)) {
            i++;
            continue;
        }
        Py_ssize_t start = i++;
        Py_UCS4 max = ch;
        for (; i < c.n; i++) {
            Py_UCS4 next = PyUnicode_READ(c.kind, c.data, i);
            if (!is_word(next)) break;
            max = next > max ? next : max;
            cjk += is_cjk(next);
            digits += next < 128 ? next - '0' < 10 : Py_UNICODE_ISDIGIT(next);
        }
        if (i - start > 3 && char_isalpha(ch)) {
            alpha++;
            upper_first += char_isupper(ch) != 0;
            if (all_upper && !word_isupper(c.kind, c.data, start, i)) all_upper = 0;
        }
        if (2 * count + 2 > *room) {
            Py_ssize_t grown = 2 * *room + 64;
            Py_ssize_t *more = PyMem_Realloc(*spans, sizeof(Py_ssize_t) * (size_t)grown);
            if (more == NULL) return PyErr_NoMemory();
            *spans = more;
            *room = grown;
        }
        /* a word's end, negated when it has a character past ASCII */
        (*spans)[2 * count] = start;
        (*spans)[2 * count + 1] = max < 128 ? i : -i;
        count++;
    }
    PyObject *words = PyList_New(count);
    if (words == NULL) return NULL;
    for (Py_ssize_t w = 0; w < count; w++) {
        Py_ssize_t start = (*spans)[2 * w], end = (*spans)[2 * w + 1];
        PyObject *word = end > 0 ? ascii_lower(c.kind, c.data, start, end) : word_lower(text, c.kind, c.data, start, -end);
        if (word == NULL) {
            Py_DECREF(words);
            return NULL;
        }
        PyList_SET_ITEM(words, w, word);
    }
    PyObject *row = PyTuple_New(6);
    if (row == NULL) {
        Py_DECREF(words);
        return NULL;
    }
    PyTuple_SET_ITEM(row, 0, words);
    Py_ssize_t counts[5] = {cjk, digits, alpha, upper_first, all_upper};
    for (int k = 0; k < 5; k++) {
        PyObject *value = PyLong_FromSsize_t(counts[k]);
        if (value == NULL) {
            Py_DECREF(row);
            return NULL;
        }
        PyTuple_SET_ITEM(row, k + 1, value);
    }
    return row;
}

/* line_stats(texts) -> per text (lowered words, cjk, digits, alpha words,
 * alpha words starting upper-case, all alpha words upper-case) */
static PyObject *line_stats(PyObject *self, PyObject *texts) {
    PyObject *seq = PySequence_Fast(texts, "line_stats needs a sequence of str");
    if (seq == NULL) return NULL;
    Py_ssize_t count = PySequence_Fast_GET_SIZE(seq), room = 0;
    Py_ssize_t *spans = NULL;
    PyObject *out = PyList_New(count);
    for (Py_ssize_t t = 0; out != NULL && t < count; t++) {
        PyObject *row = line_stats_row(PySequence_Fast_GET_ITEM(seq, t), &spans, &room);
        if (row == NULL) Py_CLEAR(out);
        else PyList_SET_ITEM(out, t, row);
    }
    PyMem_Free(spans);
    Py_DECREF(seq);
    return out;
}

/* ---- layout hyphens ------------------------------------------------------
 * dehyphenate._SPLIT, as re reads it in a str pattern:
 *   (?<![\w\-@/.])([^\W\d_]{1,40})([\-\u2010])(\n?)([^\W\d_]{1,40})(?![\w\-@/])
 * A letter ([^\W\d_]) is a \w character that is no decimal digit and no "_".
 * The pattern has one way to match at a start: the left run can only end at
 * the hyphen and the right run only where letters end, so finditer's matches
 * are found by walking the runs of letters. */

static inline int is_letter(Py_UCS4 ch) {
    if (ch < 128) return ascii_alpha(ch);
    return Py_UNICODE_ISALNUM(ch) && !Py_UNICODE_ISDECIMAL(ch);
}

/* hyphen_splits: see the small steps block below */


/* ---- pipeline (fast-pipeline) ----------------------------------------------
 * The pipeline's bookkeeping and its small unicode steps' scans: whole-text
 * loops that answer what the Python in pipeline.py, unicode.py, document.py
 * and write/run.py would compute, one call per text or per document instead
 * of a few Python calls per character class or per edit. */

/* A growing buffer of UTF-8 bytes. */
typedef struct {
    char *data;
    Py_ssize_t n, cap;
} ByteBuf;

static int buf_grow(ByteBuf *b, Py_ssize_t more) {
    if (b->n + more <= b->cap) return 0;
    Py_ssize_t cap = b->cap ? b->cap : 1024;
    while (cap < b->n + more) cap *= 2;
    char *data = PyMem_Realloc(b->data, (size_t)cap);
    if (data == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    b->data = data;
    b->cap = cap;
    return 0;
}

static inline int buf_put(ByteBuf *b, const char *s, Py_ssize_t len) {
    if (buf_grow(b, len) < 0) return -1;
    memcpy(b->data + b->n, s, (size_t)len);
    b->n += len;
    return 0;
}

static int buf_ascii(ByteBuf *b, const char *s) { return buf_put(b, s, (Py_ssize_t)strlen(s)); }

static const char DIGIT_PAIRS[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
                                  "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
                                  "8081828384858687888990919293949596979899";

/* a C integer in decimal (snprintf costs more than the rest of a row); two
 * digits a division (the MinHash keys have 19 digits each, a
 * hundred of them a record) */
static int buf_decimal(ByteBuf *b, long long v) {
    char digits[24];
    int at = 24;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    while (u >= 100) {
        unsigned pair = (unsigned)(u % 100);
        u /= 100;
        at -= 2;
        memcpy(digits + at, DIGIT_PAIRS + 2 * pair, 2);
    }
    if (u >= 10) {
        at -= 2;
        memcpy(digits + at, DIGIT_PAIRS + 2 * u, 2);
    } else {
        digits[--at] = (char)('0' + u);
    }
    if (v < 0) digits[--at] = '-';
    return buf_put(b, digits + at, 24 - at);
}

/* an int as int.__repr__ writes it */
static int buf_int(ByteBuf *b, PyObject *value) {
    int overflow = 0;
    if (!PyLong_Check(value)) {
        PyErr_Format(PyExc_TypeError, "an int is needed, not %.80s", Py_TYPE(value)->tp_name);
        return -1;
    }
    long long v = PyLong_AsLongLongAndOverflow(value, &overflow);
    if (v == -1 && PyErr_Occurred()) return -1;
    if (!overflow) return buf_decimal(b, v);
    PyObject *text = PyLong_Type.tp_repr(value);
    if (text == NULL) return -1;
    Py_ssize_t len;
    const char *utf8 = PyUnicode_AsUTF8AndSize(text, &len);
    int rc = utf8 == NULL ? -1 : buf_put(b, utf8, len);
    Py_DECREF(text);
    return rc;
}

/* A double as repr writes it (float.__repr__: the shortest digits that read
 * back as it), without dtoa for the values records hold
 * (shares and ratios rounded to a few decimals, written to documents.jsonl
 * and to fields.csv): m = v * 10**k rounded, for the fewest decimals k at
 * which m / 10**k (both exact: the division rounds correctly) reads back as
 * v. While |v * 10**k| < 2**50 the values that read as v span less than a
 * unit of m, and m is the integer nearest to them: it is the only candidate
 * with k decimals, and one with fewer decimals would have been found first.
 * Exponent notation (below 1e-4, from 1e16) and longer digits go to
 * PyOS_double_to_string. */
static int buf_float(ByteBuf *b, double v) {
    double size = fabs(v), scale = 1.0;
    for (int k = 0; (v == 0.0 || (size >= 1e-4 && size < 1e16)) && size * scale < 1125899906842624.0;
         k++, scale *= 10.0) {
        double m = nearbyint(v * scale);
        if (m / scale != v) continue;
        char digits[48];
        int at = 48;
        unsigned long long u = (unsigned long long)fabs(m);
        for (int place = 0; place < k; place++, u /= 10) digits[--at] = (char)('0' + u % 10);
        if (k == 0) digits[--at] = '0'; /* "1.0", as repr writes a whole number */
        digits[--at] = '.';
        do {
            digits[--at] = (char)('0' + u % 10);
        } while (u /= 10);
        if (signbit(v)) digits[--at] = '-';
        return buf_put(b, digits + at, 48 - at);
    }
    char *text = PyOS_double_to_string(v, 'r', 0, Py_DTSF_ADD_DOT_0, NULL);
    if (text == NULL) return -1;
    int rc = buf_put(b, text, (Py_ssize_t)strlen(text));
    PyMem_Free(text);
    return rc;
}

/* bytes json.encoder.encode_basestring escapes: quote, backslash and C0
 * controls. UTF-8 sequences of other characters hold no byte below 0x80,
 * so escaping the UTF-8 bytes escapes exactly those characters. */
static const char JSON_ESCAPE[128] = {
    'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'b', 't', 'n', 'u', 'f', 'r', 'u', 'u',
    'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u',
    0, 0, '"', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '\\', 0, 0, 0,
};

/* one character's escape, as encode_basestring writes it */
static inline char *put_escape(char *out, unsigned ch) {
    *out++ = '\\';
    *out++ = JSON_ESCAPE[ch];
    if (JSON_ESCAPE[ch] == 'u') {
        *out++ = '0';
        *out++ = '0';
        *out++ = Py_hexdigits[ch >> 4];
        *out++ = Py_hexdigits[ch & 0xf];
    }
    return out;
}

/* Whether 8 bytes (1-byte kind: 8 characters) are all characters JSON
 * writes as themselves in UTF-8: none from 0x80, below 0x20, '"' or '\\'.
 * Word-at-a-time tests, exact for "is there such a byte"
 * (article text is mostly such characters, and the documents and edits
 * rows are most of what a run writes). */
static inline int json_plain8(const void *at) {
    const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
    uint64_t w;
    memcpy(&w, at, 8);
    uint64_t quote = w ^ (ones * '"'), slash = w ^ (ones * '\\');
    uint64_t bad = w | ((w - ones * 0x20) & ~w) | ((quote - ones) & ~quote) | ((slash - ones) & ~slash);
    return (bad & high) == 0;
}

/* the same for 4 characters of the 2-byte kind (16-bit lanes) */
static inline int json_plain4(const void *at) {
    const uint64_t ones = 0x0001000100010001ULL, high = 0x8000800080008000ULL;
    uint64_t w;
    memcpy(&w, at, 8);
    if (w & 0xff80ff80ff80ff80ULL) return 0; /* a character from U+0080 */
    uint64_t quote = w ^ (ones * '"'), slash = w ^ (ones * '\\');
    uint64_t bad = ((w - ones * 0x20) & ~w) | ((quote - ones) & ~quote) | ((slash - ones) & ~slash);
    return (bad & high) == 0;
}

/* The characters of one str kind in UTF-8, escaped; NULL at a surrogate
 * (which UTF-8 cannot hold: the caller lets the codec raise). SKIP copies
 * a run of plain characters at i, a word at a time, and stops at the end. */
#define JSON_UTF8_LOOP(T, SKIP)                                                                      \
    {                                                                                                \
        const T *d = (const T *)c.data;                                                              \
        for (Py_ssize_t i = 0; i < c.n; i++) {                                                       \
            SKIP                                                                                     \
            Py_UCS4 ch = d[i];                                                                       \
            if (ch < 0x80) {                                                                         \
                if (JSON_ESCAPE[ch]) out = put_escape(out, ch);                                      \
                else *out++ = (char)ch;                                                              \
            } else if (ch < 0x800) {                                                                 \
                *out++ = (char)(0xc0 | (ch >> 6));                                                   \
                *out++ = (char)(0x80 | (ch & 0x3f));                                                 \
            } else if (ch < 0x10000) {                                                               \
                if (ch >= 0xd800 && ch <= 0xdfff) return NULL;                                       \
                *out++ = (char)(0xe0 | (ch >> 12));                                                  \
                *out++ = (char)(0x80 | ((ch >> 6) & 0x3f));                                          \
                *out++ = (char)(0x80 | (ch & 0x3f));                                                 \
            } else {                                                                                 \
                *out++ = (char)(0xf0 | (ch >> 18));                                                  \
                *out++ = (char)(0x80 | ((ch >> 12) & 0x3f));                                         \
                *out++ = (char)(0x80 | ((ch >> 6) & 0x3f));                                          \
                *out++ = (char)(0x80 | (ch & 0x3f));                                                 \
            }                                                                                        \
        }                                                                                            \
    }

/* With SSE2, 16 characters (1-byte kind) or 8 (2-byte kind, narrowed to
 * bytes) a step first (the bodies and ledes of records are
 * most of what json_record writes; the word-at-a-time tests below took ~2
 * instructions a character). A signed compare sees a lane from 0x80 (or
 * 0x8000) as below 0x20: such a lane, a control, '"' or '\\' ends the run. */
#if defined(__SSE2__)
#define JSON_SKIP_WIDE(LANES, CMPEQ, CMPLT, SET1, BAD_HIGH, STORE)                                  \
    while (i + (LANES) <= c.n) {                                                                     \
        __m128i v = _mm_loadu_si128((const __m128i *)(d + i));                                       \
        __m128i bad = _mm_or_si128(_mm_or_si128(CMPLT(v, SET1(0x20)), BAD_HIGH),                     \
                                   _mm_or_si128(CMPEQ(v, SET1('"')), CMPEQ(v, SET1('\\'))));         \
        if (_mm_movemask_epi8(bad)) break;                                                           \
        STORE;                                                                                       \
        out += (LANES);                                                                              \
        i += (LANES);                                                                                \
    }
#define JSON_SKIP_WIDE_UCS1                                                                          \
    JSON_SKIP_WIDE(16, _mm_cmpeq_epi8, _mm_cmplt_epi8, _mm_set1_epi8, _mm_setzero_si128(),         \
                   _mm_storeu_si128((__m128i *)out, v))
#define JSON_SKIP_WIDE_UCS2                                                                          \
    JSON_SKIP_WIDE(8, _mm_cmpeq_epi16, _mm_cmplt_epi16, _mm_set1_epi16, _mm_cmpgt_epi16(v, _mm_set1_epi16(0x7f)), \
                   _mm_storel_epi64((__m128i *)out, _mm_packus_epi16(v, v)))
#else
#define JSON_SKIP_WIDE_UCS1
#define JSON_SKIP_WIDE_UCS2
#endif

#define JSON_SKIP_UCS1                                                                               \
    JSON_SKIP_WIDE_UCS1                                                                              \
    while (i + 8 <= c.n && json_plain8(d + i)) {                                                     \
        memcpy(out, d + i, 8);                                                                       \
        out += 8;                                                                                    \
        i += 8;                                                                                      \
    }                                                                                                \
    if (i >= c.n) break;
#define JSON_SKIP_UCS2                                                                               \
    JSON_SKIP_WIDE_UCS2                                                                              \
    while (i + 4 <= c.n && json_plain4(d + i)) {                                                     \
        out[0] = (char)d[i];                                                                         \
        out[1] = (char)d[i + 1];                                                                     \
        out[2] = (char)d[i + 2];                                                                     \
        out[3] = (char)d[i + 3];                                                                     \
        out += 4;                                                                                    \
        i += 4;                                                                                      \
    }                                                                                                \
    if (i >= c.n) break;

static char *json_utf8(const Chars c, char *out) {
    switch (c.kind) {
    case PyUnicode_1BYTE_KIND: JSON_UTF8_LOOP(Py_UCS1, JSON_SKIP_UCS1) break;
    case PyUnicode_2BYTE_KIND: JSON_UTF8_LOOP(Py_UCS2, JSON_SKIP_UCS2) break;
    default: JSON_UTF8_LOOP(Py_UCS4, ) break;
    }
    return out;
}

/* a str as json.encoder.encode_basestring writes it (JSONEncoder with
 * ensure_ascii=False), in UTF-8, read from the str's own characters */
static int buf_json_string(ByteBuf *b, PyObject *s) {
    Chars c;
    if (!PyUnicode_Check(s)) {
        PyErr_Format(PyExc_TypeError, "first argument must be a string, not %.80s", Py_TYPE(s)->tp_name);
        return -1;
    }
    if (chars_of(s, &c) < 0 || buf_grow(b, 6 * c.n + 2) < 0) return -1; /* the most a character takes: \u00XX */
    char *out = b->data + b->n;
    *out++ = '"';
    out = json_utf8(c, out);
    if (out == NULL) { /* a lone surrogate: the codec's error, as json_line's writer would raise */
        PyObject *raised = PyUnicode_AsUTF8String(s);
        Py_XDECREF(raised);
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "a surrogate in a str");
        return -1;
    }
    *out++ = '"';
    b->n = out - b->data;
    return 0;
}

/* a value as JSONEncoder(ensure_ascii=False) writes it; TypeError for
 * anything but dicts with str keys, lists, tuples, str, int, float, bool
 * and None of their exact types (the caller then asks the json module) */
static int buf_json(ByteBuf *b, PyObject *value, int depth) {
    if (depth > 32) {
        PyErr_SetString(PyExc_TypeError, "nested too deep");
        return -1;
    }
    if (PyUnicode_CheckExact(value)) return buf_json_string(b, value);
    if (value == Py_None) return buf_ascii(b, "null");
    if (value == Py_True) return buf_ascii(b, "true");
    if (value == Py_False) return buf_ascii(b, "false");
    if (PyLong_CheckExact(value)) return buf_int(b, value);
    if (PyFloat_CheckExact(value)) {
        double v = PyFloat_AS_DOUBLE(value);
        if (!Py_IS_FINITE(v)) return buf_ascii(b, Py_IS_NAN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");
        return buf_float(b, v);
    }
    if (PyList_CheckExact(value) || PyTuple_CheckExact(value)) {
        PyObject *items = PySequence_Fast(value, "");
        if (items == NULL) return -1;
        Py_ssize_t n = PySequence_Fast_GET_SIZE(items);
        int rc = buf_ascii(b, "[");
        for (Py_ssize_t i = 0; i < n && rc == 0; i++)
            rc = (i ? buf_ascii(b, ", ") : 0) || buf_json(b, PySequence_Fast_GET_ITEM(items, i), depth + 1);
        Py_DECREF(items);
        return rc || buf_ascii(b, "]") ? -1 : 0;
    }
    if (PyDict_CheckExact(value)) {
        PyObject *key, *item;
        Py_ssize_t at = 0, i = 0;
        if (buf_ascii(b, "{") < 0) return -1;
        while (PyDict_Next(value, &at, &key, &item)) {
            if (!PyUnicode_CheckExact(key)) {
                PyErr_SetString(PyExc_TypeError, "a key that is not a str");
                return -1;
            }
            if ((i++ ? buf_ascii(b, ", ") : 0) || buf_json_string(b, key) || buf_ascii(b, ": ") ||
                buf_json(b, item, depth + 1))
                return -1;
        }
        return buf_ascii(b, "}");
    }
    PyErr_Format(PyExc_TypeError, "no JSON for a %.80s here", Py_TYPE(value)->tp_name);
    return -1;
}

/* json_record(row) -> json_line(row) in UTF-8 (row a dict; see buf_json) */
static PyObject *json_record(PyObject *self, PyObject *row) {
    ByteBuf b = {NULL, 0, 0};
    PyObject *result = NULL;
    if (!PyDict_CheckExact(row)) PyErr_SetString(PyExc_TypeError, "a dict is needed");
    else if (buf_json(&b, row, 0) == 0 && buf_ascii(&b, "\n") == 0)
        result = PyBytes_FromStringAndSize(b.data, b.n);
    PyMem_Free(b.data);
    return result;
}

/* a str as the csv module writes a field (excel dialect, QUOTE_MINIMAL,
 * "\r\n" line ends): quoted, inner quotes doubled, when it holds a comma, a
 * quote, "\r" or "\n"; in UTF-8. 1 at a surrogate (no UTF-8 for it). */
static int buf_csv_field(ByteBuf *b, PyObject *s) {
    Chars c;
    if (chars_of(s, &c) < 0 || buf_grow(b, 4 * c.n + 2) < 0) return -1;
    int quote = 0;
    for (Py_ssize_t i = 0; i < c.n && !quote; i++) {
        Py_UCS4 ch = PyUnicode_READ(c.kind, c.data, i);
        quote = ch == ',' || ch == '"' || ch == '\r' || ch == '\n';
    }
    char *out = b->data + b->n;
    if (quote) *out++ = '"';
    for (Py_ssize_t i = 0; i < c.n; i++) {
        Py_UCS4 ch = PyUnicode_READ(c.kind, c.data, i);
        if (ch < 0x80) {
            if (ch == '"') *out++ = '"';
            *out++ = (char)ch;
        } else if (ch < 0x800) {
            *out++ = (char)(0xc0 | (ch >> 6));
            *out++ = (char)(0x80 | (ch & 0x3f));
        } else if (ch < 0x10000) {
            if (ch >= 0xd800 && ch <= 0xdfff) return 1;
            *out++ = (char)(0xe0 | (ch >> 12));
            *out++ = (char)(0x80 | ((ch >> 6) & 0x3f));
            *out++ = (char)(0x80 | (ch & 0x3f));
        } else {
            *out++ = (char)(0xf0 | (ch >> 18));
            *out++ = (char)(0x80 | ((ch >> 12) & 0x3f));
            *out++ = (char)(0x80 | ((ch >> 6) & 0x3f));
            *out++ = (char)(0x80 | (ch & 0x3f));
        }
    }
    if (quote) *out++ = '"';
    b->n = out - b->data;
    return 0;
}

/* One value of a fields.csv row, as csv_fields writes it, in column
 * ``column``: its letter in *letter; a null is empty and numbered in
 * ``nulls``. 1 for a type the Python writer handles. */
static int csv_value(ByteBuf *b, ByteBuf *nulls, PyObject *value, Py_ssize_t column, char *letter) {
    if (value == Py_None) {
        *letter = 'n';
        return (nulls->n ? buf_ascii(nulls, ";") : 0) || buf_decimal(nulls, column) ? -1 : 0;
    }
    if (PyBool_Check(value)) {
        *letter = 'b';
        return buf_ascii(b, value == Py_True ? "True" : "False");
    }
    if (PyLong_CheckExact(value)) {
        *letter = 'i';
        return buf_int(b, value);
    }
    if (PyFloat_CheckExact(value)) {
        *letter = 'f';
        return buf_float(b, PyFloat_AS_DOUBLE(value));
    }
    if (PyUnicode_CheckExact(value)) {
        *letter = 's';
        return buf_csv_field(b, value);
    }
    return 1;
}

/* a fields.csv row's end (its nulls field and line end), and (kinds, line) */
static PyObject *csv_row_of(ByteBuf *b, const ByteBuf *nulls, const char *kinds, Py_ssize_t n) {
    if (buf_ascii(b, ",") || buf_put(b, nulls->data ? nulls->data : "", nulls->n) || buf_ascii(b, "\r\n")) return NULL;
    PyObject *kind_text = PyUnicode_FromStringAndSize(kinds, n);
    PyObject *line = kind_text ? PyUnicode_DecodeUTF8(b->data, b->n, "strict") : NULL;
    PyObject *result = line ? PyTuple_Pack(2, kind_text, line) : NULL;
    Py_XDECREF(kind_text);
    Py_XDECREF(line);
    return result;
}

/* csv_fields(values) -> (kinds, line) or None: a document row's fields.csv
 * line as sidetables.encode_side writes it (a letter per value's type,
 * nulls empty and listed in a last field, floats as repr) for values of
 * exactly bool, int, float, str and None; None for anything else. */
static PyObject *csv_fields(PyObject *self, PyObject *values) {
    if (!PyList_CheckExact(values) || PyList_GET_SIZE(values) == 0) Py_RETURN_NONE;
    Py_ssize_t n = PyList_GET_SIZE(values);
    ByteBuf b = {NULL, 0, 0}, nulls = {NULL, 0, 0};
    char *kinds = PyMem_Malloc((size_t)n);
    PyObject *result = NULL;
    int rc = kinds == NULL ? (PyErr_NoMemory(), -1) : 0;
    for (Py_ssize_t i = 0; i < n && rc == 0; i++) {
        rc = i ? buf_ascii(&b, ",") : 0;
        if (rc == 0) rc = csv_value(&b, &nulls, PyList_GET_ITEM(values, i), i, &kinds[i]);
    }
    if (rc == 0) result = csv_row_of(&b, &nulls, kinds, n);
    else if (rc > 0) result = Py_NewRef(Py_None);
    PyMem_Free(kinds);
    PyMem_Free(b.data);
    PyMem_Free(nulls.data);
    return result;
}

/* LoggedEdit's fields, in its order (edits.py) */
enum { LE_STEP, LE_REASON, LE_KIND, LE_START, LE_END, LE_BEFORE, LE_AFTER, LE_DETAIL, LE_RAW_START, LE_RAW_END, LE_N };

static PyObject *logged_field(PyObject *edits, Py_ssize_t i, PyObject **fields) {
    PyObject *edit = PySequence_Fast_GET_ITEM(edits, i);
    if (!PyTuple_Check(edit) || PyTuple_GET_SIZE(edit) < LE_N) {
        PyErr_SetString(PyExc_TypeError, "edits must be LoggedEdit tuples");
        return NULL;
    }
    for (int f = 0; f < LE_N; f++) fields[f] = PyTuple_GET_ITEM(edit, f);
    return edit;
}

/* The index of label in this document's own list of labels (dict label ->
 * index, in order of first use), as SideRows holds them; -1 on error. */
static long label_index(PyObject *seen, PyObject *label) {
    PyObject *at = PyDict_GetItemWithError(seen, label);
    if (at != NULL) return PyLong_AsLong(at);
    if (PyErr_Occurred()) return -1;
    Py_ssize_t n = PyDict_GET_SIZE(seen);
    PyObject *index = PyLong_FromSsize_t(n);
    if (index == NULL || PyDict_SetItem(seen, label, index) < 0) {
        Py_XDECREF(index);
        return -1;
    }
    Py_DECREF(index);
    return (long)n;
}

/* a string literal, its length known when compiled: the copy is inlined
 * (an edit row has a dozen keys) */
#define BUF_LITERAL(b, s) buf_put(b, s, (Py_ssize_t)sizeof(s) - 1)


/* edit_table(doc_id, edits, passes) -> (lines, rows, labels): the
 * edits.jsonl lines of a document's logged edits in UTF-8, its edits.i32
 * rows (None when a number does not fit an int32) and the step, kind and
 * reason labels the rows' codes index. */
static PyObject *edit_table(PyObject *self, PyObject *args) {
    PyObject *doc_id, *edits_in, *passes_in, *edits = NULL, *passes = NULL, *result = NULL;
    PyObject *seen[3] = {NULL, NULL, NULL};
    ByteBuf b = {NULL, 0, 0}, head = {NULL, 0, 0};
    int32_t *rows = NULL;
    int overflow = 0;
    if (!PyArg_ParseTuple(args, "UOO", &doc_id, &edits_in, &passes_in)) return NULL;
    edits = PySequence_Fast(edits_in, "edits must be a sequence");
    passes = edits ? PySequence_Fast(passes_in, "passes must be a sequence") : NULL;
    if (passes == NULL) goto done;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(edits);
    if (PySequence_Fast_GET_SIZE(passes) != n) {
        PyErr_SetString(PyExc_ValueError, "edits and passes differ in length");
        goto done;
    }
    for (int k = 0; k < 3; k++)
        if ((seen[k] = PyDict_New()) == NULL) goto done;
    /* every row starts alike up to its seq: that start is written once a
     * document (when it has a row: a document without edits writes no id),
     * and copied */
    if (n && (BUF_LITERAL(&head, "{\"doc\": ") < 0 || buf_json_string(&head, doc_id) < 0 ||
              BUF_LITERAL(&head, ", \"seq\": ") < 0))
        goto done;
    rows = PyMem_Malloc((size_t)(n ? n : 1) * 12 * sizeof(int32_t));
    if (rows == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *f[LE_N], *pass_no = PySequence_Fast_GET_ITEM(passes, i);
        if (logged_field(edits, i, f) == NULL) goto done;
        /* the row, in LoggedEdit.to_json's order, then its pass */
        if (buf_put(&b, head.data, head.n) < 0 || buf_decimal(&b, i) < 0 ||
            BUF_LITERAL(&b, ", \"step\": ") < 0 || buf_json_string(&b, f[LE_STEP]) < 0 ||
            BUF_LITERAL(&b, ", \"kind\": ") < 0 || buf_json_string(&b, f[LE_KIND]) < 0 ||
            BUF_LITERAL(&b, ", \"reason\": ") < 0 || buf_json_string(&b, f[LE_REASON]) < 0 ||
            BUF_LITERAL(&b, ", \"start\": ") < 0 || buf_int(&b, f[LE_START]) < 0 ||
            BUF_LITERAL(&b, ", \"end\": ") < 0 || buf_int(&b, f[LE_END]) < 0 ||
            BUF_LITERAL(&b, ", \"raw_start\": ") < 0 || buf_int(&b, f[LE_RAW_START]) < 0 ||
            BUF_LITERAL(&b, ", \"raw_end\": ") < 0 || buf_int(&b, f[LE_RAW_END]) < 0 ||
            BUF_LITERAL(&b, ", \"before\": ") < 0 || buf_json_string(&b, f[LE_BEFORE]) < 0 ||
            BUF_LITERAL(&b, ", \"after\": ") < 0 || buf_json_string(&b, f[LE_AFTER]) < 0 ||
            BUF_LITERAL(&b, ", \"detail\": ") < 0 || buf_json_string(&b, f[LE_DETAIL]) < 0 ||
            BUF_LITERAL(&b, ", \"pass\": ") < 0 || buf_int(&b, pass_no) < 0 || BUF_LITERAL(&b, "}\n") < 0)
            goto done;
        /* the side table's row: doc (set by the writer), seq, pass, label
         * codes, offsets, and the lengths of before and after */
        long long numbers[12];
        numbers[0] = 0;
        numbers[1] = i;
        PyObject *ints[] = {pass_no, f[LE_START], f[LE_END], f[LE_RAW_START], f[LE_RAW_END]};
        PyObject *labels[] = {f[LE_STEP], f[LE_KIND], f[LE_REASON]};
        numbers[2] = PyLong_AsLongLong(ints[0]);
        for (int k = 0; k < 3; k++) numbers[3 + k] = label_index(seen[k], labels[k]);
        for (int k = 1; k < 5; k++) numbers[5 + k] = PyLong_AsLongLong(ints[k]);
        if (PyErr_Occurred()) {
            if (!PyErr_ExceptionMatches(PyExc_OverflowError)) goto done;
            PyErr_Clear();
            overflow = 1;
        }
        numbers[10] = PyUnicode_GET_LENGTH(f[LE_BEFORE]);
        numbers[11] = PyUnicode_GET_LENGTH(f[LE_AFTER]);
        for (int k = 0; k < 12; k++) {
            if (numbers[k] < INT32_MIN || numbers[k] > INT32_MAX) overflow = 1;
            rows[12 * i + k] = (int32_t)numbers[k];
        }
    }
    PyObject *lines = PyBytes_FromStringAndSize(b.data, b.n);
    PyObject *table = overflow ? (Py_INCREF(Py_None), Py_None)
                               : PyBytes_FromStringAndSize((const char *)rows, n * 12 * (Py_ssize_t)sizeof(int32_t));
    PyObject *labels = Py_BuildValue("(NNN)", PySequence_Tuple(seen[0]), PySequence_Tuple(seen[1]),
                                     PySequence_Tuple(seen[2]));
    if (lines && table && labels) result = Py_BuildValue("(NNN)", lines, table, labels);
    else {
        Py_XDECREF(lines);
        Py_XDECREF(table);
        Py_XDECREF(labels);
    }
done:
    PyMem_Free(b.data);
    PyMem_Free(head.data);
    PyMem_Free(rows);
    for (int k = 0; k < 3; k++) Py_XDECREF(seen[k]);
    Py_XDECREF(edits);
    Py_XDECREF(passes);
    return result;
}

static int count_in(PyObject *counts, PyObject *key) {
    PyObject *at = PyDict_GetItemWithError(counts, key);
    if (at == NULL && PyErr_Occurred()) return -1;
    PyObject *next = PyLong_FromLong(at == NULL ? 1 : PyLong_AsLong(at) + 1);
    if (next == NULL) return -1;
    int rc = PyDict_SetItem(counts, key, next);
    Py_DECREF(next);
    return rc;
}

/* edit_counts(edits) -> (by kind, by step (flags left out), by reason):
 * dicts of counts in order of first appearance. */
static PyObject *edit_counts(PyObject *self, PyObject *edits_in) {
    PyObject *edits = PySequence_Fast(edits_in, "edits must be a sequence");
    if (edits == NULL) return NULL;
    PyObject *kinds = PyDict_New(), *steps = PyDict_New(), *reasons = PyDict_New(), *result = NULL;
    if (kinds && steps && reasons) {
        Py_ssize_t n = PySequence_Fast_GET_SIZE(edits), i;
        for (i = 0; i < n; i++) {
            PyObject *f[LE_N];
            if (logged_field(edits, i, f) == NULL || count_in(kinds, f[LE_KIND]) < 0) break;
            int flag = PyUnicode_Check(f[LE_KIND]) && PyUnicode_CompareWithASCIIString(f[LE_KIND], "flag") == 0;
            if ((!flag && count_in(steps, f[LE_STEP]) < 0) || count_in(reasons, f[LE_REASON]) < 0) break;
        }
        if (i == n) result = PyTuple_Pack(3, kinds, steps, reasons);
    }
    Py_XDECREF(kinds);
    Py_XDECREF(steps);
    Py_XDECREF(reasons);
    Py_DECREF(edits);
    return result;
}

/* What the unicode steps look for, as bits of unicode_scan's answer. */
enum {
    SCAN_LINE_BREAK = 1,  /* \r, U+2028, U+2029, U+0085 */
    SCAN_CONTROL = 2,     /* unicode._CONTROL: controls, tab, soft hyphen, zero-width */
    SCAN_ODD_SPACE = 4,   /* unicode._ODD_SPACE */
    SCAN_SPACE_PAIR = 8,  /* "  " */
    SCAN_COMBINING = 16,  /* a character from U+0300 on: below it all text is NFC */
    SCAN_EDGE_SPACE = 32, /* " \n", "\n ", or a space first or last */
    SCAN_BLANK = 64,      /* "\n" first, "\n\n\n", or "\n\n" last */
    SCAN_MOJIBAKE = 128,  /* unicode._MOJIBAKE_HINT: a UTF-8 lead byte's letter, then a continuation's */
};

static inline int is_continuation(Py_UCS4 ch) {
    if (ch >= 0x80 && ch <= 0xbf) return 1;
    switch (ch) {
    case 0x20ac: case 0x201a: case 0x0192: case 0x201e: case 0x2026: case 0x2020: case 0x2021:
    case 0x02c6: case 0x2030: case 0x0160: case 0x2039: case 0x0152: case 0x017d: case 0x2018:
    case 0x2019: case 0x201c: case 0x201d: case 0x2022: case 0x2013: case 0x2014: case 0x02dc:
    case 0x2122: case 0x0161: case 0x203a: case 0x0153: case 0x017e: case 0x0178:
        return 1;
    }
    return 0;
}

static inline int char_bits(Py_UCS4 ch) {
    if (ch < 0x20) return ch == '\n' ? 0 : ch == '\r' ? SCAN_LINE_BREAK : SCAN_CONTROL;
    if (ch < 0x7f) return 0;
    if (ch <= 0x9f) return ch == 0x85 ? SCAN_CONTROL | SCAN_LINE_BREAK : SCAN_CONTROL;
    if (ch == 0xa0) return SCAN_ODD_SPACE;
    if (ch == 0xad) return SCAN_CONTROL;
    if (ch < 0x300) return 0;
    if ((ch >= 0x2000 && ch <= 0x200a) || ch == 0x202f || ch == 0x205f) return SCAN_ODD_SPACE | SCAN_COMBINING;
    if (ch == 0x200b || ch == 0x2060 || ch == 0xfeff || ch == 0x180e) return SCAN_CONTROL | SCAN_COMBINING;
    if (ch == 0x2028 || ch == 0x2029) return SCAN_LINE_BREAK | SCAN_COMBINING;
    /* quotes, dashes, bullets, ellipses: no decomposition, no combining class */
    if ((ch >= 0x2010 && ch <= 0x2027) || (ch >= 0x2030 && ch <= 0x205e)) return 0;
    return SCAN_COMBINING;
}

/* What the last three characters say about spaces and line breaks: each
 * character a 2-bit code (1 a space, 2 a line break, 0 anything else), the
 * last three codes the index. Looking it up costs no branch: spaces are too
 * frequent to branch on. */
static unsigned char WINDOW_BITS[64];

static void window_bits_init(void) {
    for (int w = 0; w < 64; w++) {
        int c0 = w & 3, c1 = (w >> 2) & 3, c2 = (w >> 4) & 3, bits = 0;
        if (c1 == 1 && c0 == 1) bits |= SCAN_SPACE_PAIR;
        if ((c1 == 1 && c0 == 2) || (c1 == 2 && c0 == 1)) bits |= SCAN_EDGE_SPACE;
        if (c2 == 2 && c1 == 2 && c0 == 2) bits |= SCAN_BLANK;
        WINDOW_BITS[w] = (unsigned char)bits;
    }
}

/* What the character at AT is, when it is a control or non-ASCII one (the
 * branch is taken only there), and a mojibake pair it ends. */
#define UNICODE_SCAN_ODD(T, AT)                                                                       \
    {                                                                                                 \
        Py_UCS4 ch = d[AT];                                                                           \
        if ((T)(ch - 0x20) >= 0x5f && ch != '\n') {                                                   \
            bits |= char_bits(ch);                                                                    \
            if ((AT) && d[(AT) - 1] >= 0xc2 && d[(AT) - 1] <= 0xf4 && is_continuation(ch)) bits |= SCAN_MOJIBAKE; \
        }                                                                                             \
    }

/* The characters from FROM to TO one at a time, the window (see
 * WINDOW_BITS) started from the three before FROM. */
#define UNICODE_SCAN_CHARS(T, FROM, TO)                                                               \
    {                                                                                                 \
        unsigned window = 0;                                                                          \
        for (Py_ssize_t at = (FROM) >= 3 ? (FROM) - 3 : 0; at < (TO); at++) {                         \
            window = ((window << 2) | (d[at] == ' ') | ((unsigned)(d[at] == '\n') << 1)) & 63;        \
            if (at < (FROM)) continue;                                                                \
            bits |= WINDOW_BITS[window];                                                              \
            UNICODE_SCAN_ODD(T, at)                                                                   \
        }                                                                                             \
    }

#if defined(__SSE2__)
/* The 1- and 2-byte kinds 16 bytes a step (the window loop
 * took ~1 ns a character, and every text is scanned): each lane's
 * character compared with the one before it and the one before that
 * (loads one and two characters back) gives the window bits; a step with a
 * control or non-ASCII character (signed compares: from 0x80, or 0x8000,
 * a lane is below 0x20) reads those one at a time. */
#define UNICODE_SCAN_WIDE(T, SET1, CMPEQ, CMPLT, CMPGT)                                               \
    {                                                                                                 \
        enum { LANES = 16 / sizeof(T) };                                                              \
        const __m128i space = SET1(' '), line = SET1('\n'), low = SET1(0x20), high = SET1(0x7e);      \
        __m128i pairs = _mm_setzero_si128(), edges = pairs, blanks = pairs;                           \
        Py_ssize_t i = c.n < 2 ? c.n : 2;                                                             \
        UNICODE_SCAN_CHARS(T, 0, i)                                                                   \
        for (; i + LANES <= c.n; i += LANES) {                                                        \
            __m128i v = _mm_loadu_si128((const __m128i *)(d + i));                                    \
            __m128i p = _mm_loadu_si128((const __m128i *)(d + i - 1));                                \
            __m128i vs = CMPEQ(v, space), vn = CMPEQ(v, line), ps = CMPEQ(p, space), pn = CMPEQ(p, line); \
            __m128i qn = CMPEQ(_mm_loadu_si128((const __m128i *)(d + i - 2)), line);                  \
            pairs = _mm_or_si128(pairs, _mm_and_si128(vs, ps));                                       \
            edges = _mm_or_si128(edges, _mm_or_si128(_mm_and_si128(vs, pn), _mm_and_si128(vn, ps)));  \
            blanks = _mm_or_si128(blanks, _mm_and_si128(_mm_and_si128(vn, pn), qn));                  \
            if (_mm_movemask_epi8(_mm_or_si128(_mm_andnot_si128(vn, CMPLT(v, low)), CMPGT(v, high)))) \
                for (Py_ssize_t at = i; at < i + LANES; at++) UNICODE_SCAN_ODD(T, at)                 \
        }                                                                                             \
        bits |= (_mm_movemask_epi8(pairs) ? SCAN_SPACE_PAIR : 0) | (_mm_movemask_epi8(edges) ? SCAN_EDGE_SPACE : 0) | \
                (_mm_movemask_epi8(blanks) ? SCAN_BLANK : 0);                                         \
        UNICODE_SCAN_CHARS(T, i, c.n)                                                                 \
    }
#else
#define UNICODE_SCAN_WIDE(T, SET1, CMPEQ, CMPLT, CMPGT) UNICODE_SCAN_CHARS(T, 0, c.n)
#endif

/* unicode_scan(text) -> the SCAN_* bits of what text holds */
static PyObject *unicode_scan(PyObject *self, PyObject *text) {
    Chars c;
    if (chars_of(text, &c) < 0) return NULL;
    if (WINDOW_BITS[1 << 2 | 1] == 0) window_bits_init();
    int bits = 0;
    switch (c.kind) {
    case PyUnicode_1BYTE_KIND: {
        const Py_UCS1 *d = c.data;
        UNICODE_SCAN_WIDE(Py_UCS1, _mm_set1_epi8, _mm_cmpeq_epi8, _mm_cmplt_epi8, _mm_cmpgt_epi8)
    } break;
    case PyUnicode_2BYTE_KIND: {
        const Py_UCS2 *d = c.data;
        UNICODE_SCAN_WIDE(Py_UCS2, _mm_set1_epi16, _mm_cmpeq_epi16, _mm_cmplt_epi16, _mm_cmpgt_epi16)
    } break;
    default: {
        const Py_UCS4 *d = c.data;
        UNICODE_SCAN_CHARS(Py_UCS4, 0, c.n)
    } break;
    }
    if (c.n) {
        Py_UCS4 first = PyUnicode_READ(c.kind, c.data, 0), last = PyUnicode_READ(c.kind, c.data, c.n - 1);
        bits |= (first == ' ' || last == ' ') ? SCAN_EDGE_SPACE : 0;
        bits |= first == '\n' ? SCAN_BLANK : 0;
        if (c.n >= 2 && last == '\n' && PyUnicode_READ(c.kind, c.data, c.n - 2) == '\n') bits |= SCAN_BLANK;
    }
    return PyLong_FromLong(bits);
}

/* out.append((start, end)); -1 on error */
static int append_span(PyObject *out, Py_ssize_t start, Py_ssize_t end) {
    PyObject *span = Py_BuildValue("(nn)", start, end);
    int rc = span == NULL ? -1 : PyList_Append(out, span);
    Py_XDECREF(span);
    return rc;
}

/* mojibake_lines(text) -> [(start, end), ...]: the lines (runs of
 * characters other than "\n") holding unicode._MOJIBAKE_HINT, a UTF-8 lead
 * byte's letter followed by a continuation byte's character */
static PyObject *mojibake_lines(PyObject *self, PyObject *text) {
    Chars c;
    if (chars_of(text, &c) < 0) return NULL;
    PyObject *out = PyList_New(0);
    if (out == NULL) return NULL;
    Py_ssize_t start = 0;
    int hint = 0;
    Py_UCS4 prev = 0;
    for (Py_ssize_t i = 0; i <= c.n; i++) {
        Py_UCS4 ch = i < c.n ? PyUnicode_READ(c.kind, c.data, i) : '\n';
        if (ch == '\n') {
            if (hint && append_span(out, start, i) < 0) {
                Py_DECREF(out);
                return NULL;
            }
            start = i + 1;
            hint = 0;
        } else if (prev >= 0xc2 && prev <= 0xf4 && is_continuation(ch)) {
            hint = 1;
        }
        prev = ch;
    }
    return out;
}

#define BREAKS_LOOP(T)                                                                                \
    {                                                                                                 \
        const T *d = (const T *)c.data;                                                               \
        for (Py_ssize_t i = 0; i < end; i++) {                                                        \
            if (d[i] != '\n') continue;                                                               \
            Py_ssize_t start = i;                                                                     \
            while (i < end && d[i] == '\n') i++;                                                      \
            if (i - start != 2 && append_span(out, start, i) < 0) {                                   \
                Py_DECREF(out);                                                                       \
                return NULL;                                                                          \
            }                                                                                         \
        }                                                                                             \
    }

/* paragraph_breaks(text, end) -> [(start, end), ...]: the runs of "\n" in
 * text[:end] other than exactly "\n\n" (what structure.layout_paragraphs
 * makes one blank line) */
static PyObject *paragraph_breaks(PyObject *self, PyObject *args) {
    PyObject *text;
    Py_ssize_t end;
    Chars c;
    if (!PyArg_ParseTuple(args, "Un", &text, &end) || chars_of(text, &c) < 0) return NULL;
    if (end > c.n) end = c.n;
    PyObject *out = PyList_New(0);
    if (out == NULL) return NULL;
    /* one loop per str kind: the text is read a character at a
     * time, and line breaks are one in a hundred of them */
    switch (c.kind) {
    case PyUnicode_1BYTE_KIND: BREAKS_LOOP(Py_UCS1) break;
    case PyUnicode_2BYTE_KIND: BREAKS_LOOP(Py_UCS2) break;
    default: BREAKS_LOOP(Py_UCS4) break;
    }
    return out;
}

/* ---- one step's edits checked, logged and applied -------------------------
 * What pipeline.normalize did per step in Python: sort the edits and check
 * them (edits.check_edits), map each to the raw input through every earlier
 * step's map (StepMap.to_input), log it (a LoggedEdit), keep the step's map,
 * and apply them (edits.apply_edits). A step's map is a bytes object of
 * int64 (out_start, out_end, in_start, in_end) per applied edit. */

/* Edit's fields, in its order (edits.py) */
enum { ED_START, ED_END, ED_REPLACEMENT, ED_REASON, ED_DETAIL, ED_FLAG, ED_N };

typedef struct {
    PyObject *edit;
    Py_ssize_t start, end, order;
    int flag;
} StepEdit;

static int step_edit_order(const void *a, const void *b) {
    const StepEdit *x = a, *y = b;
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    if (x->end != y->end) return x->end < y->end ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

typedef struct {
    const int64_t *quads;
    Py_ssize_t n;
} StepMapView;

/* bisect_right over the out_starts, minus one: the last edit starting at or before pos */
static Py_ssize_t map_edit_at(const StepMapView *m, int64_t pos) {
    Py_ssize_t lo = 0, hi = m->n;
    while (lo < hi) {
        Py_ssize_t mid = (lo + hi) / 2;
        if (pos < m->quads[4 * mid]) hi = mid;
        else lo = mid + 1;
    }
    return lo - 1;
}

/* StepMap.to_input */
static int64_t map_to_input(const StepMapView *m, int64_t pos) {
    Py_ssize_t i = map_edit_at(m, pos);
    if (i < 0) return pos;
    const int64_t *q = m->quads + 4 * i;
    if (pos < q[1]) return q[2];
    return q[3] + (pos - q[1]);
}

/* StepMap.span_to_input's end, for a non-empty span: from its last character */
static int64_t map_end_to_input(const StepMapView *m, int64_t end) {
    Py_ssize_t i = map_edit_at(m, end - 1);
    if (i < 0) return end;
    const int64_t *q = m->quads + 4 * i;
    if (end - 1 < q[1]) return q[3];
    return q[3] + (end - q[1]);
}

/* The highest-bit bound of text[start:end]'s characters, OR-ed into *bits
 * in blocks, until it reaches ``own`` (from there the text's own kind). */
#define OR_CHARS(T)                                                                                  \
    {                                                                                                \
        const T *d = (const T *)PyUnicode_DATA(text);                                                \
        for (Py_ssize_t j = start; j < end && *bits < own;) {                                       \
            Py_ssize_t stop = end - j > 64 ? j + 64 : end;                                          \
            T block = 0;                                                                             \
            for (; j < stop; j++) block |= d[j];                                                     \
            *bits |= block;                                                                          \
        }                                                                                            \
    }
static void or_chars(PyObject *text, Py_ssize_t start, Py_ssize_t end, Py_UCS4 own, Py_UCS4 *bits) {
    switch (PyUnicode_KIND(text)) {
    case PyUnicode_1BYTE_KIND: OR_CHARS(Py_UCS1) break;
    case PyUnicode_2BYTE_KIND: OR_CHARS(Py_UCS2) break;
    default: OR_CHARS(Py_UCS4) break;
    }
}

/* n characters of from at start into the new str to at at, which holds
 * them (PyUnicode_CopyCharacters checks a latin-1 piece copied into an ASCII
 * str from the start of its str, not of the piece) */
static void copy_chars(PyObject *to, Py_ssize_t at, PyObject *from, Py_ssize_t start, Py_ssize_t n) {
    int to_kind = PyUnicode_KIND(to), from_kind = PyUnicode_KIND(from);
    void *to_data = PyUnicode_DATA(to);
    const void *from_data = PyUnicode_DATA(from);
    if (to_kind == from_kind) {
        memcpy((char *)to_data + at * to_kind, (const char *)from_data + start * from_kind, (size_t)(n * to_kind));
        return;
    }
    for (Py_ssize_t i = 0; i < n; i++) PyUnicode_WRITE(to_kind, to_data, at + i, PyUnicode_READ(from_kind, from_data, start + i));
}

/* edits.apply_edits: text with a step's sorted edits applied (flags
 * skipped), ``size`` characters, made in one str: the kind its kept
 * characters and replacements need, then each piece copied once (a str per
 * kept piece and a join copied each twice). A str must be of the smallest
 * kind that holds its characters, so the kept ones are looked at until one
 * needs the text's own kind (often the first quote or dash). */
static PyObject *edited_text(PyObject *text, const StepEdit *items, Py_ssize_t kept, Py_ssize_t size) {
    Py_UCS4 top = PyUnicode_MAX_CHAR_VALUE(text), bits = 0;
    Py_UCS4 own = top < 128 ? 0 : top < 256 ? 128 : top < 0x10000 ? 256 : 0x10000;
    Py_ssize_t pos = 0, length = PyUnicode_GET_LENGTH(text), at = 0;
    for (Py_ssize_t i = 0; i <= kept; i++) {
        if (i < kept && items[i].flag) continue;
        or_chars(text, pos, i < kept ? items[i].start : length, own, &bits);
        if (i < kept) {
            bits |= PyUnicode_MAX_CHAR_VALUE(PyTuple_GET_ITEM(items[i].edit, ED_REPLACEMENT));
            pos = items[i].end;
        }
    }
    PyObject *out = PyUnicode_New(size, bits >= 0x10000 ? 0x10ffff : bits >= 256 ? 0xffff : bits >= 128 ? 0xff : 0x7f);
    if (out == NULL) return NULL;
    pos = 0;
    for (Py_ssize_t i = 0; i <= kept; i++) {
        if (i < kept && items[i].flag) continue;
        Py_ssize_t end = i < kept ? items[i].start : length;
        PyObject *replacement = i < kept ? PyTuple_GET_ITEM(items[i].edit, ED_REPLACEMENT) : NULL;
        Py_ssize_t grown = replacement ? PyUnicode_GET_LENGTH(replacement) : 0;
        copy_chars(out, at, text, pos, end - pos);
        if (grown) copy_chars(out, at + end - pos, replacement, 0, grown);
        at += end - pos + grown;
        if (i < kept) pos = items[i].end;
    }
    return out;
}

static PyObject *KIND_NAMES[4]; /* flag, delete, insert, replace */

/* log_step(text, edits, maps, name, pass_no, drop_flags, logged, passes,
 * logged_type) -> None when no edit is left (flags dropped when asked), else
 * (the text after the edits, whether any changed it); appends the logged
 * edits, their pass numbers, and the step's map. */
static PyObject *log_step(PyObject *self, PyObject *args) {
    PyObject *text, *edits_in, *maps, *name, *pass_no, *logged, *passes, *edits = NULL, *result = NULL;
    PyObject *map = NULL;
    PyTypeObject *type;
    int drop_flags;
    StepEdit *items = NULL;
    StepMapView *views = NULL;
    if (!PyArg_ParseTuple(args, "UOO!UO!pO!O!O!", &text, &edits_in, &PyList_Type, &maps, &name,
                          &PyLong_Type, &pass_no, &drop_flags, &PyList_Type, &logged, &PyList_Type, &passes,
                          &PyType_Type, &type))
        return NULL;
    if (!PyType_IsSubtype(type, &PyTuple_Type) || type->tp_dictoffset != 0) {
        PyErr_SetString(PyExc_TypeError, "log_step needs a tuple type without instance fields");
        return NULL;
    }
    for (int k = 0; k < 4 && KIND_NAMES[k] == NULL; k++) {
        static const char *kinds[4] = {"flag", "delete", "insert", "replace"};
        if ((KIND_NAMES[k] = PyUnicode_InternFromString(kinds[k])) == NULL) return NULL;
    }
    edits = PySequence_Fast(edits_in, "edits must be a sequence");
    if (edits == NULL) return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(edits), kept = 0, length = PyUnicode_GET_LENGTH(text);
    items = PyMem_Malloc((size_t)(n ? n : 1) * sizeof(StepEdit));
    if (items == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    int sorted = 1;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *edit = PySequence_Fast_GET_ITEM(edits, i);
        if (!PyTuple_Check(edit) || PyTuple_GET_SIZE(edit) < ED_N) {
            PyErr_SetString(PyExc_TypeError, "edits must be Edit tuples");
            goto done;
        }
        int flag = PyObject_IsTrue(PyTuple_GET_ITEM(edit, ED_FLAG));
        if (flag < 0) goto done;
        if (flag && drop_flags) continue;
        StepEdit *it = &items[kept];
        it->edit = edit;
        it->flag = flag;
        it->order = kept;
        it->start = PyLong_AsSsize_t(PyTuple_GET_ITEM(edit, ED_START));
        it->end = PyLong_AsSsize_t(PyTuple_GET_ITEM(edit, ED_END));
        if (PyErr_Occurred()) goto done;
        if (kept && step_edit_order(&items[kept - 1], it) > 0) sorted = 0;
        kept++;
    }
    if (kept == 0) {
        result = Py_NewRef(Py_None);
        goto done;
    }
    if (!sorted) qsort(items, (size_t)kept, sizeof(StepEdit), step_edit_order);
    /* edits.check_edits */
    Py_ssize_t last_end = 0, applied = 0;
    for (Py_ssize_t i = 0; i < kept; i++) {
        if (items[i].flag) continue;
        if (!(0 <= items[i].start && items[i].start <= items[i].end && items[i].end <= length)) {
            PyErr_Format(PyExc_ValueError, "edit %S is outside the text of length %zd", items[i].edit, length);
            goto done;
        }
        if (items[i].start < last_end) {
            PyErr_Format(PyExc_ValueError, "edit %S overlaps an earlier edit", items[i].edit);
            goto done;
        }
        last_end = items[i].end;
        applied++;
    }
    Py_ssize_t n_maps = PyList_GET_SIZE(maps);
    views = PyMem_Malloc((size_t)(n_maps ? n_maps : 1) * sizeof(StepMapView));
    if (views == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t m = 0; m < n_maps; m++) {
        PyObject *quads = PyList_GET_ITEM(maps, m);
        if (!PyBytes_Check(quads) || PyBytes_GET_SIZE(quads) % (4 * sizeof(int64_t))) {
            PyErr_SetString(PyExc_TypeError, "maps must be bytes of int64 quadruples");
            goto done;
        }
        views[m].quads = (const int64_t *)PyBytes_AS_STRING(quads);
        views[m].n = PyBytes_GET_SIZE(quads) / (Py_ssize_t)(4 * sizeof(int64_t));
    }
    map = PyBytes_FromStringAndSize(NULL, applied * (Py_ssize_t)(4 * sizeof(int64_t)));
    if (map == NULL) goto done;
    int64_t *quads = (int64_t *)PyBytes_AS_STRING(map);
    Py_ssize_t shift = 0, at = 0;
    for (Py_ssize_t i = 0; i < kept; i++) {
        StepEdit *it = &items[i];
        PyObject *replacement = PyTuple_GET_ITEM(it->edit, ED_REPLACEMENT);
        if (!PyUnicode_Check(replacement)) {
            PyErr_SetString(PyExc_TypeError, "an edit's replacement must be a str");
            goto done;
        }
        /* the span in the raw input, through every earlier step's map */
        int64_t raw_start = it->start, raw_end = it->end;
        for (Py_ssize_t m = n_maps - 1; m >= 0; m--) {
            if (views[m].n == 0) continue;
            int64_t span_start = map_to_input(&views[m], raw_start);
            raw_end = raw_end > raw_start ? map_end_to_input(&views[m], raw_end) : span_start;
            raw_start = span_start;
        }
        PyObject *kind = it->flag ? KIND_NAMES[0]
                         : PyUnicode_GET_LENGTH(replacement) == 0 ? KIND_NAMES[1]
                         : it->start == it->end ? KIND_NAMES[2]
                                                 : KIND_NAMES[3];
        PyObject *before = (0 <= it->start && it->start <= it->end && it->end <= length)
                               ? PyUnicode_Substring(text, it->start, it->end)
                               : PySequence_GetSlice(text, it->start, it->end); /* a flag's odd span, sliced as Python does */
        PyObject *after = it->flag ? PyUnicode_New(0, 0) : Py_NewRef(replacement);
        PyObject *entry = type->tp_alloc(type, LE_N);
        PyObject *fields[LE_N] = {
            Py_NewRef(name), Py_NewRef(PyTuple_GET_ITEM(it->edit, ED_REASON)), Py_NewRef(kind),
            PyLong_FromSsize_t(it->start), PyLong_FromSsize_t(it->end), before, after,
            Py_NewRef(PyTuple_GET_ITEM(it->edit, ED_DETAIL)), PyLong_FromLongLong(raw_start),
            PyLong_FromLongLong(raw_end),
        };
        int bad = entry == NULL;
        for (int f = 0; f < LE_N; f++) {
            bad |= fields[f] == NULL;
            if (entry != NULL) PyTuple_SET_ITEM(entry, f, fields[f]);
            else Py_XDECREF(fields[f]);
        }
        if (bad || PyList_Append(logged, entry) < 0 || PyList_Append(passes, pass_no) < 0) {
            Py_XDECREF(entry);
            goto done;
        }
        Py_DECREF(entry);
        if (it->flag) continue;
        /* StepMap.from_edits and edits.apply_edits */
        Py_ssize_t out_start = it->start + shift, grown = PyUnicode_GET_LENGTH(replacement);
        quads[4 * at] = out_start;
        quads[4 * at + 1] = out_start + grown;
        quads[4 * at + 2] = it->start;
        quads[4 * at + 3] = it->end;
        at++;
        shift += grown - (it->end - it->start);
    }
    if (PyList_Append(maps, map) < 0) goto done;
    PyObject *out = applied ? edited_text(text, items, kept, length + shift) : Py_NewRef(text);
    if (out == NULL) goto done;
    result = Py_BuildValue("(NO)", out, applied ? Py_True : Py_False);
done:
    Py_XDECREF(map);
    PyMem_Free(views);
    PyMem_Free(items);
    Py_XDECREF(edits);
    return result;
}

/* ---- end of pipeline (fast-pipeline) ---- */
/* ---- lines (fast-lines) ----------------------------------------------------
 * The per-line facts of the boilerplate step and the line model, each the
 * twin of a pure-Python function of the same name in normalize/native.py.
 * Whitespace is what str.split() and str.strip() take (Py_UNICODE_ISSPACE). */

static inline int is_space(Py_UCS4 ch) {
    if (ch < 128) return ch == ' ' || (ch >= '\t' && ch <= '\r') || (ch >= 0x1c && ch <= 0x1f);
    return Py_UNICODE_ISSPACE(ch);
}

/* text's stripped span [*l, *r) (str.strip) */
static void strip_span(const Chars *c, Py_ssize_t *l, Py_ssize_t *r) {
    Py_ssize_t end = c->n;
    while (end > 0 && is_space(PyUnicode_READ(c->kind, c->data, end - 1))) end--;
    Py_ssize_t start = 0;
    while (start < end && is_space(PyUnicode_READ(c->kind, c->data, start))) start++;
    *l = start;
    *r = end;
}

/* ch.casefold() when it is one character: for ASCII, Latin-1 and the
 * general punctuation block (U+2010-U+205E, uncased), but for "µ" and "ß";
 * 0 for any other character (casefold is then asked of str). Checked
 * against str.casefold by the tests. */
static inline Py_UCS4 simple_fold(Py_UCS4 ch) {
    if (ch < 128) return ch >= 'A' && ch <= 'Z' ? ch + 32 : ch;
    if (ch < 0x100) {
        if (ch == 0xb5 || ch == 0xdf) return 0;
        return ch >= 0xc0 && ch <= 0xde && ch != 0xd7 ? ch + 32 : ch;
    }
    return ch >= 0x2010 && ch <= 0x205e ? ch : 0;
}

/* The key of chars[0:n] into out (n characters at most): words joined by
 * one space, each character simple_fold-ed; its length, or -1 when a
 * character has no one-character folding. One loop per string kind, so
 * the compiler sees plain arrays. */
#define KEY_LOOP(TYPE)                                            \
    static Py_ssize_t key_##TYPE(const TYPE *chars, Py_ssize_t n, Py_UCS4 *out) { \
        Py_ssize_t at = 0;                                        \
        int gap = 0;                                              \
        for (Py_ssize_t i = 0; i < n; i++) {                      \
            Py_UCS4 ch = chars[i];                                \
            if (is_space(ch)) {                                   \
                gap = at > 0;                                     \
                continue;                                         \
            }                                                     \
            Py_UCS4 folded = simple_fold(ch);                     \
            if (folded == 0) return -1;                           \
            if (gap) out[at++] = ' ';                             \
            gap = 0;                                              \
            out[at++] = folded;                                   \
        }                                                         \
        return at;                                                \
    }
KEY_LOOP(Py_UCS1)
KEY_LOOP(Py_UCS2)
KEY_LOOP(Py_UCS4)

/* " ".join(text.split()).casefold(): built here when every character folds
 * to one (see simple_fold), by str methods otherwise */
static PyObject *text_key(PyObject *text, Py_UCS4 **buffer, Py_ssize_t *capacity) {
    Chars c;
    if (chars_of(text, &c) < 0) return NULL;
    if (c.n > *capacity) {
        Py_UCS4 *grown = PyMem_Realloc(*buffer, sizeof(Py_UCS4) * (size_t)c.n);
        if (grown == NULL) return PyErr_NoMemory();
        *buffer = grown;
        *capacity = c.n;
    }
    Py_ssize_t size;
    if (c.kind == PyUnicode_1BYTE_KIND)
        size = key_Py_UCS1((const Py_UCS1 *)c.data, c.n, *buffer);
    else if (c.kind == PyUnicode_2BYTE_KIND)
        size = key_Py_UCS2((const Py_UCS2 *)c.data, c.n, *buffer);
    else
        size = key_Py_UCS4((const Py_UCS4 *)c.data, c.n, *buffer);
    if (size >= 0) return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, *buffer, size);
    PyObject *parts = PyUnicode_Split(text, NULL, -1);
    if (parts == NULL) return NULL;
    PyObject *space = PyUnicode_FromOrdinal(' ');
    PyObject *joined = space ? PyUnicode_Join(space, parts) : NULL;
    Py_XDECREF(space);
    Py_DECREF(parts);
    if (joined == NULL) return NULL;
    PyObject *out = PyObject_CallMethod(joined, "casefold", NULL);
    Py_DECREF(joined);
    return out;
}

/* line_keys(texts) -> [" ".join(text.split()).casefold(), ...] */
static PyObject *line_keys(PyObject *self, PyObject *texts) {
    PyObject *seq = PySequence_Fast(texts, "line_keys needs a sequence of str");
    if (seq == NULL) return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    Py_UCS4 *buffer = NULL;
    Py_ssize_t capacity = 0;
    PyObject *out = PyList_New(n);
    if (out == NULL) goto fail;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *key = text_key(PySequence_Fast_GET_ITEM(seq, i), &buffer, &capacity);
        if (key == NULL) goto fail;
        PyList_SET_ITEM(out, i, key);
    }
    PyMem_Free(buffer);
    Py_DECREF(seq);
    return out;
fail:
    PyMem_Free(buffer);
    Py_XDECREF(out);
    Py_DECREF(seq);
    return NULL;
}

/* The length of the longest of names (a tuple of str); -1 with TypeError
 * naming who when one is not a str. */
static Py_ssize_t longest_name(PyObject *names, const char *who) {
    Py_ssize_t longest = 0;
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(names); k++) {
        PyObject *name = PyTuple_GET_ITEM(names, k);
        if (!PyUnicode_Check(name)) {
            PyErr_Format(PyExc_TypeError, "%s needs a tuple of str", who);
            return -1;
        }
        if (PyUnicode_GET_LENGTH(name) > longest) longest = PyUnicode_GET_LENGTH(name);
    }
    return longest;
}

/* Per ASCII character: can a line whose last character it is end in one of
 * names (str, case-folded)? Upper-case letters as their lower case. A name
 * ending in another character (or none) turns the test off: every entry 1. */
static void names_last_chars(PyObject *names, unsigned char *last_chars) {
    memset(last_chars, 0, 128);
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(names); k++) {
        PyObject *name = PyTuple_GET_ITEM(names, k);
        Py_ssize_t size = PyUnicode_GET_LENGTH(name);
        Py_UCS4 last = size ? PyUnicode_READ_CHAR(name, size - 1) : 128;
        if (last >= 128 || (last >= 'A' && last <= 'Z')) {
            memset(last_chars, 1, 128);
            return;
        }
        last_chars[last] = 1;
    }
    for (int ch = 'A'; ch <= 'Z'; ch++) last_chars[ch] = last_chars[ch + 32];
}

/* Does the stripped chars[l:r] end in one of names (str.casefold().endswith)?
 * -1 on error. ASCII ends are compared here, others by str methods. */
static int ends_in_name(PyObject *text, const Chars *c, Py_ssize_t l, Py_ssize_t r, PyObject *names,
                        Py_ssize_t longest, const unsigned char *last_chars) {
    Py_ssize_t count = PyTuple_GET_SIZE(names);
    /* an ASCII last character folds to itself lower-cased: a name must end in it */
    Py_UCS4 last = PyUnicode_READ(c->kind, c->data, r - 1);
    if (last < 128 && !last_chars[last]) return 0;
    Py_ssize_t window = r - l < longest ? r - l : longest;
    int ascii = 1;
    for (Py_ssize_t i = r - window; i < r; i++)
        if (PyUnicode_READ(c->kind, c->data, i) >= 128) ascii = 0;
    if (ascii) {
        for (Py_ssize_t k = 0; k < count; k++) {
            PyObject *name = PyTuple_GET_ITEM(names, k); /* a str: see longest_name */
            int kind = PyUnicode_KIND(name);
            const void *data = PyUnicode_DATA(name);
            Py_ssize_t size = PyUnicode_GET_LENGTH(name);
            if (size > r - l) continue;
            /* from the last character back: most names differ from a line's end at once */
            int hit = 1;
            for (Py_ssize_t i = size - 1; i >= 0 && hit; i--) {
                Py_UCS4 ch = PyUnicode_READ(c->kind, c->data, r - size + i);
                if (ch >= 'A' && ch <= 'Z') ch += 32;
                hit = ch == PyUnicode_READ(kind, data, i);
            }
            if (hit) return 1;
        }
        return 0;
    }
    PyObject *stripped = PyUnicode_Substring(text, l, r);
    PyObject *folded = stripped ? PyObject_CallMethod(stripped, "casefold", NULL) : NULL;
    Py_XDECREF(stripped);
    PyObject *ends = folded ? PyObject_CallMethod(folded, "endswith", "(O)", names) : NULL;
    Py_XDECREF(folded);
    if (ends == NULL) return -1;
    int hit = ends == Py_True;
    Py_DECREF(ends);
    return hit;
}

/* cjk_counts(texts) -> [len(linefeatures._CJK.findall(text)), ...] */
static PyObject *cjk_counts(PyObject *self, PyObject *texts) {
    PyObject *seq = PySequence_Fast(texts, "cjk_counts needs a sequence of str");
    if (seq == NULL) return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    PyObject *out = PyList_New(n);
    if (out == NULL) goto fail;
    for (Py_ssize_t t = 0; t < n; t++) {
        Chars c;
        if (chars_of(PySequence_Fast_GET_ITEM(seq, t), &c) < 0) goto fail;
        Py_ssize_t count = 0;
        if (c.kind != PyUnicode_1BYTE_KIND) /* CJK is past U+3000: never in a one-byte str */
            for (Py_ssize_t i = 0; i < c.n; i++) count += is_cjk(PyUnicode_READ(c.kind, c.data, i));
        PyObject *value = PyLong_FromSsize_t(count);
        if (value == NULL) goto fail;
        PyList_SET_ITEM(out, t, value);
    }
    Py_DECREF(seq);
    return out;
fail:
    Py_XDECREF(out);
    Py_DECREF(seq);
    return NULL;
}

/* the line model's constants (linefeatures.py) */
#define GOOD_WORDS 15
#define GOOD_CJK 40
#define GOOD_STOPS 0.15
#define SHORT_WORDS 8
#define BLOCK_GAP_COST 4
#define DUMP_MIN_LINES 50
#define DUMP_SHORT_SHARE 0.5
#define DUMP_CHROME_LINES 2
#define MARK_URL 1
#define MARK_SEPARATOR 2
#define MARK_DATE 4
#define MARK_BYLINE 8

static inline double log_feature(double n) { return log1p(n) / 5.0; }

/* one line's facts, gathered before the rows are built */
typedef struct {
    Py_ssize_t words, cjk, digits, alpha, upper_first, all_upper, size, stripped, mark;
    Py_ssize_t stops, chrome; /* words in the stop list, in the chrome vocabulary */
    int terminal, good, colon_end, starts_lower, ellipsis_end, bullet;
} LineFacts;

static int in_chars(Py_UCS4 ch, const Py_UCS4 *set, int count) {
    for (int i = 0; i < count; i++)
        if (set[i] == ch) return 1;
    return 0;
}

/* linefeatures._TERMINAL and the bullet characters */
static const Py_UCS4 TERMINAL[] = {'.', '!', '?', '"', 0x201d, 0x2019, 0xbb, ')', 0x2026, 0x3002, 0xff01, 0xff1f, 0x300d, 0x300f};
static const Py_UCS4 BULLETS[] = {'-', 0x2022, '*', 0xb7, 0x25aa, 0x25ba, '>'};

/* how many of words (a list of str) are in set; -1 on error */
static Py_ssize_t members(PyObject *words, PyObject *set) {
    Py_ssize_t found = 0, n = PyList_GET_SIZE(words);
    for (Py_ssize_t i = 0; i < n; i++) {
        int in = PySet_Contains(set, PyList_GET_ITEM(words, i));
        if (in < 0) return -1;
        found += in;
    }
    return found;
}

static int facts_of(PyObject *text, PyObject *stat, PyObject *mark, PyObject *stops, PyObject *chrome, LineFacts *f) {
    Chars c;
    if (chars_of(text, &c) < 0) return -1;
    if (!PyTuple_Check(stat) || PyTuple_GET_SIZE(stat) != 6 || !PyList_Check(PyTuple_GET_ITEM(stat, 0))) {
        PyErr_SetString(PyExc_TypeError, "feature_table needs the rows of line_stats");
        return -1;
    }
    PyObject *words = PyTuple_GET_ITEM(stat, 0);
    Py_ssize_t *counts[5] = {&f->cjk, &f->digits, &f->alpha, &f->upper_first, &f->all_upper};
    for (int k = 0; k < 5; k++) {
        *counts[k] = PyLong_AsSsize_t(PyTuple_GET_ITEM(stat, k + 1));
        if (*counts[k] == -1 && PyErr_Occurred()) return -1;
    }
    f->mark = PyLong_AsSsize_t(mark);
    if (f->mark == -1 && PyErr_Occurred()) return -1;
    f->words = PyList_GET_SIZE(words);
    f->stops = stops == Py_None || f->words == 0 ? 0 : members(words, stops);
    f->chrome = f->words == 0 ? 0 : members(words, chrome);
    if (f->stops < 0 || f->chrome < 0) return -1;
    Py_ssize_t l, r;
    strip_span(&c, &l, &r);
    f->stripped = r - l;
    Py_UCS4 first = r > l ? PyUnicode_READ(c.kind, c.data, l) : 0;
    Py_UCS4 last = r > l ? PyUnicode_READ(c.kind, c.data, r - 1) : 0;
    f->terminal = r > l && in_chars(last, TERMINAL, sizeof(TERMINAL) / sizeof(TERMINAL[0]));
    f->colon_end = last == ':' && r > l;
    f->starts_lower = r > l && Py_UNICODE_ISLOWER(first);
    f->bullet = r == l || in_chars(first, BULLETS, sizeof(BULLETS) / sizeof(BULLETS[0]));
    f->ellipsis_end = last == 0x2026 ||
                      (r - l >= 3 && last == '.' && PyUnicode_READ(c.kind, c.data, r - 2) == '.' &&
                       PyUnicode_READ(c.kind, c.data, r - 3) == '.');
    double density = f->words && stops != Py_None ? (double)f->stops / (double)f->words : 0.0;
    if ((double)f->cjk >= (double)c.n / 3.0)
        f->good = f->terminal && f->cjk >= GOOD_CJK;
    else
        f->good = f->terminal && f->words >= GOOD_WORDS && (stops == Py_None || density >= GOOD_STOPS);
    f->size = f->words > f->cjk / 2 ? f->words : f->cjk / 2;
    return 0;
}

enum { FEATURE_COUNT = 46 }; /* linefeatures.FEATURES */

/* the rows of feature_table(*inputs), value for value: every division and
 * log as Python makes it (ints to doubles, then one IEEE operation), row by
 * row into *rows (a new buffer, NULL for no text: PyMem_Free it) and their
 * number into *count; -1 on an error */
static int feature_matrix(PyObject *inputs, double **rows, Py_ssize_t *count) {
    PyObject *texts, *stats, *stops, *chrome, *keys, *marks;
    *rows = NULL;
    *count = 0;
    if (!PyArg_ParseTuple(inputs, "O!O!OO!O!O!", &PyList_Type, &texts, &PyList_Type, &stats, &stops,
                          &PyFrozenSet_Type, &chrome, &PyList_Type, &keys, &PyList_Type, &marks))
        return -1;
    if (stops != Py_None && !PyAnySet_Check(stops)) {
        PyErr_SetString(PyExc_TypeError, "stops must be a frozenset or None");
        return -1;
    }
    Py_ssize_t n = PyList_GET_SIZE(texts);
    if (PyList_GET_SIZE(stats) != n || PyList_GET_SIZE(keys) != n || PyList_GET_SIZE(marks) != n) {
        PyErr_SetString(PyExc_ValueError, "feature_table needs one stat, key and mark per text");
        return -1;
    }
    if (n == 0) return 0;
    int status = -1;
    PyObject *counts = NULL;
    double *matrix = PyMem_Malloc(sizeof(double) * FEATURE_COUNT * (size_t)n);
    LineFacts *facts = PyMem_Calloc((size_t)n, sizeof(LineFacts));
    Py_ssize_t *run_len = PyMem_Calloc((size_t)n, sizeof(Py_ssize_t));
    Py_ssize_t *good_before = PyMem_Calloc((size_t)n + 1, sizeof(Py_ssize_t));
    double *log_sizes = PyMem_Calloc((size_t)n, sizeof(double));
    if (matrix == NULL || facts == NULL || run_len == NULL || good_before == NULL || log_sizes == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t first_good = n, last_good = -1, total = 0, short_lines = 0, cjk = 0, chars = 0, good_words = 0;
    Py_ssize_t chrome_lines = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        LineFacts *f = &facts[i];
        if (facts_of(PyList_GET_ITEM(texts, i), PyList_GET_ITEM(stats, i), PyList_GET_ITEM(marks, i), stops, chrome,
                     f) < 0)
            goto done;
        if (f->good) {
            if (first_good == n) first_good = i;
            last_good = i;
            good_words += f->size;
        }
        total += f->size;
        short_lines += f->size < SHORT_WORDS;
        cjk += f->cjk;
        chars += PyUnicode_GET_LENGTH(PyList_GET_ITEM(texts, i));
        /* _chrome_lines: at most three words, half of them chrome */
        if (f->size <= 3 && f->words && (double)f->chrome / (double)f->words >= 0.5) chrome_lines++;
        good_before[i + 1] = good_before[i] + f->good;
        log_sizes[i] = log_feature((double)f->size);
    }
    if (total == 0) total = 1;
    double short_share = (double)short_lines / (double)n;
    int doc_cjk = (double)cjk >= (double)chars / 3.0;
    for (Py_ssize_t i = 0, start = 0; i <= n; i++) {
        if (i == n || facts[i].size >= SHORT_WORDS) {
            for (Py_ssize_t j = start; j < i; j++) run_len[j] = i - start;
            start = i + 1;
        }
    }
    double good_share = (double)good_words / (double)total;
    /* main_block: the maximum-sum run, a prose line its words, others a cost */
    double best = 0.0, run = 0.0;
    Py_ssize_t block_start = n, block_end = -1, run_start = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        double score = facts[i].good ? (double)facts[i].size : -BLOCK_GAP_COST;
        if (run <= 0) {
            run = 0.0;
            run_start = i;
        }
        run += score;
        if (run > best) {
            best = run;
            block_start = run_start;
            block_end = i;
        }
    }
    int dump = n >= DUMP_MIN_LINES && short_share >= DUMP_SHORT_SHARE && chrome_lines >= DUMP_CHROME_LINES;
    double doc_log_lines = log_feature((double)n), doc_chrome = log_feature((double)chrome_lines);
    /* dup_in_doc: how often each key occurs */
    counts = PyDict_New();
    if (counts == NULL) goto done;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *key = PyList_GET_ITEM(keys, i);
        PyObject *seen = PyDict_GetItemWithError(counts, key);
        if (seen == NULL && PyErr_Occurred()) goto done;
        if (PyDict_SetItem(counts, key, seen == NULL ? Py_False : Py_True) < 0) goto done;
    }
    PyObject *title_key = PyList_GET_ITEM(keys, 0);
    Py_ssize_t before = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        const LineFacts *f = &facts[i];
        PyObject *key = PyList_GET_ITEM(keys, i);
        int title_dup = 0;
        if (i > 0 && f->size >= 4) {
            title_dup = PyUnicode_Contains(title_key, key);
            if (title_dup < 0) goto done;
        }
        int dup = PyDict_GetItemWithError(counts, key) == Py_True;
        int outside = i < first_good || i > last_good;
        Py_ssize_t dist = i < first_good ? first_good - i : (i > last_good ? i - last_good : 0);
        double title_case = f->alpha ? (double)f->upper_first / (double)f->alpha : 0.0;
        double density = f->words && stops != Py_None ? (double)f->stops / (double)f->words : 0.0;
        Py_ssize_t block_dist = i < block_start ? block_start - i : (i - block_end > 0 ? i - block_end : 0);
        double *row = matrix + i * FEATURE_COUNT;
        const double values[FEATURE_COUNT] = {
            1.0,
            log_sizes[i],
            log_feature((double)f->stripped),
            density,
            stops != Py_None && f->words >= 3 && density == 0.0,
            f->terminal,
            f->colon_end,
            f->starts_lower,
            title_case,
            f->alpha >= 1 && f->all_upper == 1,
            f->stripped ? (double)f->digits / (double)f->stripped : 0.0, /* a line of spaces: none */
            (f->mark & MARK_URL) != 0,
            (f->mark & MARK_SEPARATOR) != 0,
            f->words ? (double)f->chrome / (double)f->words : 0.0,
            (f->mark & MARK_DATE) != 0,
            (f->mark & MARK_BYLINE) != 0 && f->words <= 12,
            f->ellipsis_end,
            f->good,
            i > 0 ? log_sizes[i - 1] : 0.0,
            i + 1 < n ? log_sizes[i + 1] : 0.0,
            i > 0 ? facts[i - 1].good : 0.0,
            i + 1 < n ? facts[i + 1].good : 0.0,
            (double)(good_before[i + 4 < n ? i + 4 : n] - good_before[i - 3 > 0 ? i - 3 : 0] - f->good) / 6.0,
            n > 1 ? (double)i / (double)(n - 1) : 0.0,
            i < first_good,
            i > last_good,
            log_feature((double)dist),
            (double)before / (double)total,
            (double)(total - before - f->size) / (double)total,
            dup,
            short_share,
            doc_log_lines,
            doc_cjk,
            stops == Py_None,
            f->size < SHORT_WORDS && outside,
            f->size < SHORT_WORDS && !f->terminal,
            log_feature((double)run_len[i]),
            good_share,
            f->bullet,
            block_start <= i && i <= block_end,
            log_feature((double)block_dist),
            f->size >= 5 && !f->terminal && f->alpha && title_case >= 0.6,
            title_dup,
            (double)(good_before[i + 7 < n ? i + 7 : n] - good_before[i - 6 > 0 ? i - 6 : 0] - f->good) / 12.0,
            doc_chrome,
            dump,
        };
        memcpy(row, values, sizeof values);
        before += f->size;
    }
    status = 0;
    *rows = matrix;
    *count = n;
done:
    if (status < 0) PyMem_Free(matrix);
    Py_XDECREF(counts);
    PyMem_Free(facts);
    PyMem_Free(run_len);
    PyMem_Free(good_before);
    PyMem_Free(log_sizes);
    return status;
}

/* feature_table(texts, stats, stops, chrome, keys, marks) -> the rows of
 * linefeatures.feature_table (see feature_matrix) */
static PyObject *feature_table(PyObject *self, PyObject *args) {
    double *rows;
    Py_ssize_t n;
    if (feature_matrix(args, &rows, &n) < 0) return NULL;
    PyObject *out = PyList_New(n);
    /* most features are 0.0 or 1.0: one object each, shared */
    PyObject *zero = PyFloat_FromDouble(0.0), *one = PyFloat_FromDouble(1.0);
    if (out == NULL || zero == NULL || one == NULL) goto fail;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *tuple = PyTuple_New(FEATURE_COUNT);
        if (tuple == NULL) goto fail;
        PyList_SET_ITEM(out, i, tuple);
        for (int k = 0; k < FEATURE_COUNT; k++) {
            double v = rows[i * FEATURE_COUNT + k];
            PyObject *value = v == 0.0 && !signbit(v) ? Py_NewRef(zero) : v == 1.0 ? Py_NewRef(one) : PyFloat_FromDouble(v);
            if (value == NULL) goto fail;
            PyTuple_SET_ITEM(tuple, k, value);
        }
    }
    goto done;
fail:
    Py_CLEAR(out);
done:
    Py_XDECREF(zero);
    Py_XDECREF(one);
    PyMem_Free(rows);
    return out;
}
/* ---- end of lines (fast-lines) ---- */

/* ---- boilerplate -------------------------------------------
 * The per-line tests of the boilerplate step that gate its slower checks,
 * the boilerplate step's test for lines printed twice, and the line model's
 * verdicts in one call. Each is the twin of a pure-Python function of the
 * same name in normalize/native.py. */

#include <math.h>

/* Python re's \d in a str pattern: a Unicode decimal digit (category Nd) */
static inline int is_decimal(Py_UCS4 ch) {
    if (ch < 128) return ch >= '0' && ch <= '9';
    return Py_UNICODE_ISDECIMAL(ch);
}

static inline int date_sep(Py_UCS4 ch) { return ch == '.' || ch == '/' || ch == '-'; }

/* Does chars[l:r] hold a match of \d:\d\d|(?:19|20)\d\d|\d[./-]\d\d?[./-]\d\d
 * (what every match of boilerplate._HAS_DATE holds, without its \b)? */
static int may_hold_date(const Chars *c, Py_ssize_t l, Py_ssize_t r) {
#define AT(k) (i + (k) < r ? PyUnicode_READ(c->kind, c->data, i + (k)) : 0)
    for (Py_ssize_t i = l; i < r; i++) {
        Py_UCS4 a = PyUnicode_READ(c->kind, c->data, i);
        if (!is_decimal(a)) continue;
        Py_UCS4 b = AT(1);
        if (b == ':' && is_decimal(AT(2)) && is_decimal(AT(3))) return 1;
        if (((a == '1' && b == '9') || (a == '2' && b == '0')) && is_decimal(AT(2)) && is_decimal(AT(3))) return 1;
        if (date_sep(b) && is_decimal(AT(2))) {
            if (date_sep(AT(3)) && is_decimal(AT(4)) && is_decimal(AT(5))) return 1;
            if (is_decimal(AT(3)) && date_sep(AT(4)) && is_decimal(AT(5)) && is_decimal(AT(6))) return 1;
        }
    }
    return 0;
#undef AT
}

/* What line_suspects asks of a stripped line's characters: "(", "_", ":",
 * a digit (str.isdigit) and its whitespace-separated tokens (str.split).
 * One loop per string kind, so the compiler sees plain arrays. */
typedef struct {
    int paren, underscore, colon, digit;
    Py_ssize_t tokens;
} SuspectFacts;

enum { CAPTION_MAX_WORDS = 60, DATELINE_MAX_WORDS = 16, CREDIT_MAX_WORDS = 8 };

/* per ASCII character, what line_suspects asks of it (one
 * table load a character instead of five tests) */
enum { FACT_PAREN = 1, FACT_UNDERSCORE = 2, FACT_COLON = 4, FACT_DIGIT = 8, FACT_SPACE = 16 };
static const unsigned char ascii_facts[128] = {
    ['\t'] = FACT_SPACE, ['\n'] = FACT_SPACE, ['\v'] = FACT_SPACE, ['\f'] = FACT_SPACE, ['\r'] = FACT_SPACE,
    [0x1c] = FACT_SPACE, [0x1d] = FACT_SPACE, [0x1e] = FACT_SPACE, [0x1f] = FACT_SPACE, [' '] = FACT_SPACE,
    ['('] = FACT_PAREN, ['_'] = FACT_UNDERSCORE, [':'] = FACT_COLON,
    ['0'] = FACT_DIGIT, ['1'] = FACT_DIGIT, ['2'] = FACT_DIGIT, ['3'] = FACT_DIGIT, ['4'] = FACT_DIGIT,
    ['5'] = FACT_DIGIT, ['6'] = FACT_DIGIT, ['7'] = FACT_DIGIT, ['8'] = FACT_DIGIT, ['9'] = FACT_DIGIT,
};

/* Tokens are counted only up to CREDIT_MAX_WORDS + 1, all the credit check
 * asks; past that the characters are only looked up (most lines are prose,
 * longer than a credit), and spaces no longer matter. */
#define LINE_FACTS(TYPE)                                                                   \
    static void suspect_facts_##TYPE(const TYPE *chars, Py_ssize_t l, Py_ssize_t r, SuspectFacts *f) { \
        unsigned facts = 0;                                                                \
        int in_token = 0;                                                                  \
        Py_ssize_t tokens = 0, i = l;                                                      \
        for (; i < r && tokens <= CREDIT_MAX_WORDS; i++) {                                 \
            Py_UCS4 ch = chars[i];                                                         \
            unsigned fact = ch < 128 ? ascii_facts[ch]                                     \
                                     : (Py_UNICODE_ISDIGIT(ch) ? FACT_DIGIT : 0) |         \
                                           (Py_UNICODE_ISSPACE(ch) ? FACT_SPACE : 0);      \
            int space = (fact & FACT_SPACE) != 0;                                          \
            facts |= fact;                                                                 \
            tokens += !space && !in_token;                                                 \
            in_token = !space;                                                             \
        }                                                                                  \
        for (; i < r; i++) {                                                               \
            Py_UCS4 ch = chars[i];                                                         \
            facts |= ch < 128 ? ascii_facts[ch] : (Py_UNICODE_ISDIGIT(ch) ? FACT_DIGIT : 0); \
        }                                                                                  \
        f->paren = (facts & FACT_PAREN) != 0;                                              \
        f->underscore = (facts & FACT_UNDERSCORE) != 0;                                    \
        f->colon = (facts & FACT_COLON) != 0;                                              \
        f->digit = (facts & FACT_DIGIT) != 0;                                              \
        f->tokens = tokens;                                                                \
    }
LINE_FACTS(Py_UCS1)
LINE_FACTS(Py_UCS2)
LINE_FACTS(Py_UCS4)

enum { SUSPECT_CAPTION = 4, SUSPECT_DATELINE = 8, SUSPECT_CREDIT = 16 };

/* Has chars[l:r] at most CREDIT_MAX_WORDS whitespace-separated tokens (str.split)?
 * Read from the start only as far as the answer needs. */
static int few_tokens(const Chars *c, Py_ssize_t l, Py_ssize_t r) {
    Py_ssize_t tokens = 0;
    int in_token = 0;
    for (Py_ssize_t i = l; i < r && tokens <= CREDIT_MAX_WORDS; i++) {
        int space = is_space(PyUnicode_READ(c->kind, c->data, i));
        tokens += !space && !in_token;
        in_token = !space;
    }
    return tokens <= CREDIT_MAX_WORDS;
}

/* line_suspects(lines, names) -> {position: bits} (see native.line_suspects) */
static PyObject *line_suspects(PyObject *self, PyObject *args) {
    PyObject *lines, *names;
    if (!PyArg_ParseTuple(args, "OO!", &lines, &PyTuple_Type, &names)) return NULL;
    Py_ssize_t longest = longest_name(names, "line_suspects");
    if (longest < 0) return NULL;
    unsigned char last_chars[128];
    names_last_chars(names, last_chars);
    PyObject *seq = PySequence_Fast(lines, "line_suspects needs a sequence of lines");
    if (seq == NULL) return NULL;
    PyObject *out = PyDict_New();
    if (out == NULL) goto fail;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    for (Py_ssize_t t = 0; t < n; t++) {
        PyObject *line = PySequence_Fast_GET_ITEM(seq, t);
        PyObject *text = line_text(line);
        if (text == NULL) goto fail;
        if (PyTuple_GET_SIZE(line) < 5) {
            PyErr_SetString(PyExc_TypeError, "a line is a tuple (index, start, end, text, words)");
            goto fail;
        }
        Py_ssize_t words = PyLong_AsSsize_t(PyTuple_GET_ITEM(line, 4));
        if (words == -1 && PyErr_Occurred()) goto fail;
        Chars c;
        Py_ssize_t l, r;
        if (chars_of(text, &c) < 0) goto fail;
        strip_span(&c, &l, &r);
        if (r == l) continue;
        /* a caption ends in ")" (or a space) past its last dots */
        int caption_end = 0;
        if (words <= CAPTION_MAX_WORDS) {
            Py_ssize_t j = r;
            while (j > l && PyUnicode_READ(c.kind, c.data, j - 1) == '.') j--;
            if (j > l) {
                Py_UCS4 end = PyUnicode_READ(c.kind, c.data, j - 1);
                caption_end = end == ')' || is_space(end);
            }
        }
        if (words > DATELINE_MAX_WORDS && !caption_end) {
            /* most lines are prose: no caption's end, too many words for a
             * dateline without a "_", too many tokens for a credit. A search
             * for "_" (memchr) lets them go without reading every character */
            Py_ssize_t underscore = PyUnicode_FindChar(text, '_', l, r, 1);
            if (underscore == -2) goto fail;
            if (underscore < 0 && !few_tokens(&c, l, r)) continue;
        }
        SuspectFacts facts;
        if (c.kind == PyUnicode_1BYTE_KIND)
            suspect_facts_Py_UCS1((const Py_UCS1 *)c.data, l, r, &facts);
        else if (c.kind == PyUnicode_2BYTE_KIND)
            suspect_facts_Py_UCS2((const Py_UCS2 *)c.data, l, r, &facts);
        else
            suspect_facts_Py_UCS4((const Py_UCS4 *)c.data, l, r, &facts);
        int paren = facts.paren, underscore = facts.underscore, digit = facts.digit, colon = facts.colon;
        Py_ssize_t tokens = facts.tokens;
        Py_UCS4 first = PyUnicode_READ(c.kind, c.data, l), last = PyUnicode_READ(c.kind, c.data, r - 1);
        long bits = 0;
        /* a caption: "(" and, past the last dots, a ")" (or a space) */
        if (paren && caption_end) bits |= SUSPECT_CAPTION;
        /* a dateline: not too many words, no dash or "(" first, a date */
        if (digit && (words <= DATELINE_MAX_WORDS || underscore) && first != 0x2014 && first != 0x2013 &&
            first != '-' && first != '(' && may_hold_date(&c, l, r))
            bits |= SUSPECT_DATELINE;
        /* a credit: a few words without digits or ":", an agency's name last */
        if (tokens <= CREDIT_MAX_WORDS && !digit && !colon && last != '.' && last != '!' && last != '?') {
            int hit = ends_in_name(text, &c, l, r, names, longest, last_chars);
            if (hit < 0) goto fail;
            if (hit) bits |= SUSPECT_CREDIT;
        }
        if (bits) {
            PyObject *key = PyLong_FromSsize_t(t), *value = PyLong_FromLong(bits);
            int failed = key == NULL || value == NULL || PyDict_SetItem(out, key, value) < 0;
            Py_XDECREF(key);
            Py_XDECREF(value);
            if (failed) goto fail;
        }
    }
    Py_DECREF(seq);
    return out;
fail:
    Py_XDECREF(out);
    Py_DECREF(seq);
    return NULL;
}

/* FNV-1a over a key's characters */
static inline uint64_t fnv(uint64_t h, Py_UCS4 ch) { return (h ^ ch) * 0x100000001b3ULL; }

/* Keys are told apart by their first KEY_PREFIX characters: equal keys have
 * equal prefixes, and lines of 15 words and more that differ mostly differ
 * early; keys_distinct's answer stays exact (equal hashes answer False). */
enum { KEY_PREFIX = 48 };

/* The hash of the first KEY_PREFIX characters of chars[0:n]'s key (see text_key) into *hash; 0, or -1 when a
 * character has no one-character folding. One loop per string kind, so the
 * compiler sees plain arrays; Latin-1 folded from a table. */
#define KEY_HASH_LOOP(TYPE)                                                        \
    static int key_hash_##TYPE(const TYPE *chars, Py_ssize_t n, uint64_t *hash) { \
        uint64_t h = 0xcbf29ce484222325ULL;                                        \
        int gap = 0, started = 0;                                                  \
        Py_ssize_t length = 0;                                                     \
        for (Py_ssize_t i = 0; i < n; i++) {                                       \
            Py_UCS4 ch = chars[i];                                                 \
            Py_UCS4 folded = ch < 256 ? latin1_fold[ch] : (is_space(ch) ? SPACE_MARK : simple_fold(ch)); \
            if (folded == SPACE_MARK) {                                            \
                gap = started;                                                     \
                continue;                                                          \
            }                                                                      \
            if (folded == 0) return -1;                                            \
            if (gap) {                                                             \
                h = fnv(h, ' ');                                                   \
                if (++length == KEY_PREFIX) break;                                 \
            }                                                                      \
            gap = 0;                                                               \
            started = 1;                                                           \
            h = fnv(h, folded);                                                    \
            if (++length == KEY_PREFIX) break;                                     \
        }                                                                          \
        *hash = h;                                                                 \
        return 0;                                                                  \
    }

/* per Latin-1 character: SPACE_MARK for whitespace, else simple_fold */
enum { SPACE_MARK = 0x110000 };
static Py_UCS4 latin1_fold[256];
static int latin1_ready = 0;

static void latin1_init(void) {
    for (Py_UCS4 ch = 0; ch < 256; ch++) latin1_fold[ch] = is_space(ch) ? SPACE_MARK : simple_fold(ch);
    latin1_ready = 1;
}

KEY_HASH_LOOP(Py_UCS1)
KEY_HASH_LOOP(Py_UCS2)
KEY_HASH_LOOP(Py_UCS4)

/* The hash of the first KEY_PREFIX characters of " ".join(text.split()).casefold();
 * 0 and *ok = 0 on error */
static uint64_t key_hash(PyObject *text, int *ok) {
    Chars c;
    uint64_t h = 0;
    *ok = 0;
    if (chars_of(text, &c) < 0) return 0;
    int fast;
    if (c.kind == PyUnicode_1BYTE_KIND)
        fast = key_hash_Py_UCS1((const Py_UCS1 *)c.data, c.n, &h);
    else if (c.kind == PyUnicode_2BYTE_KIND)
        fast = key_hash_Py_UCS2((const Py_UCS2 *)c.data, c.n, &h);
    else
        fast = key_hash_Py_UCS4((const Py_UCS4 *)c.data, c.n, &h);
    if (fast == 0) {
        *ok = 1;
        return h;
    }
    /* a character folding to several: the key from str methods, of the
     * text up to its KEY_PREFIX-th non-space character. Each of those gives
     * the key a character or more and casefold maps each on its own: that
     * key starts as the whole text's does, for KEY_PREFIX characters at least */
    Py_ssize_t end = 0;
    for (Py_ssize_t seen = 0; end < c.n && seen < KEY_PREFIX; end++)
        seen += !is_space(PyUnicode_READ(c.kind, c.data, end));
    PyObject *head = PyUnicode_Substring(text, 0, end);
    if (head == NULL) return 0;
    Py_UCS4 *buffer = NULL;
    Py_ssize_t capacity = 0;
    PyObject *key = text_key(head, &buffer, &capacity);
    PyMem_Free(buffer);
    Py_DECREF(head);
    if (key == NULL || chars_of(key, &c) < 0) {
        Py_XDECREF(key);
        return 0;
    }
    h = 0xcbf29ce484222325ULL;
    for (Py_ssize_t i = 0; i < c.n && i < KEY_PREFIX; i++) h = fnv(h, PyUnicode_READ(c.kind, c.data, i));
    Py_DECREF(key);
    *ok = 1;
    return h;
}

static int compare_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* repeated_keys(texts) -> None when no two texts have the same line key
 * (" ".join(text.split()).casefold()), else every text's key. Equal keys
 * have equal hashes of their prefixes: when all differ, so do the keys (and
 * none is built); else the keys are built and compared. */
static PyObject *repeated_keys(PyObject *self, PyObject *texts) {
    if (!latin1_ready) latin1_init();
    PyObject *seq = PySequence_Fast(texts, "repeated_keys needs a sequence of str");
    if (seq == NULL) return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    uint64_t *hashes = PyMem_Malloc(sizeof(uint64_t) * (size_t)(n ? n : 1));
    if (hashes == NULL) {
        Py_DECREF(seq);
        return PyErr_NoMemory();
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        int ok;
        hashes[i] = key_hash(PySequence_Fast_GET_ITEM(seq, i), &ok);
        if (!ok) {
            PyMem_Free(hashes);
            Py_DECREF(seq);
            return NULL;
        }
    }
    qsort(hashes, (size_t)n, sizeof(uint64_t), compare_u64);
    int distinct = 1;
    for (Py_ssize_t i = 1; i < n && distinct; i++) distinct = hashes[i] != hashes[i - 1];
    PyMem_Free(hashes);
    if (distinct) {
        Py_DECREF(seq);
        Py_RETURN_NONE;
    }
    /* two prefixes alike: the keys themselves tell */
    PyObject *keys = PyList_New(n), *set = PySet_New(NULL);
    Py_UCS4 *buffer = NULL;
    Py_ssize_t capacity = 0;
    for (Py_ssize_t i = 0; keys != NULL && set != NULL && i < n; i++) {
        PyObject *key = text_key(PySequence_Fast_GET_ITEM(seq, i), &buffer, &capacity);
        if (key == NULL || PySet_Add(set, key) < 0) {
            Py_XDECREF(key);
            Py_CLEAR(keys);
            break;
        }
        PyList_SET_ITEM(keys, i, key);
    }
    PyMem_Free(buffer);
    Py_DECREF(seq);
    if (keys == NULL || set == NULL) {
        Py_XDECREF(keys);
        Py_XDECREF(set);
        return NULL;
    }
    distinct = PySet_GET_SIZE(set) == n;
    Py_DECREF(set);
    if (distinct) {
        Py_DECREF(keys);
        Py_RETURN_NONE;
    }
    return keys;
}

/* how many bytes ch takes in UTF-8 */
static inline Py_ssize_t utf8_size(Py_UCS4 ch) { return ch < 0x80 ? 1 : ch < 0x800 ? 2 : ch < 0x10000 ? 3 : 4; }

/* utf8_lines(lines) -> "\n".join(line.text.strip() for line in lines) in
 * UTF-8, or None when a text holds a surrogate (what the rule
 * scans search, written in one pass instead of a strip, a join and an encode) */
static PyObject *utf8_lines(PyObject *self, PyObject *lines) {
    PyObject *seq = PySequence_Fast(lines, "utf8_lines needs a sequence of lines");
    if (seq == NULL) return NULL;
    ByteBuf b = {NULL, 0, 0};
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    for (Py_ssize_t t = 0; t < n; t++) {
        PyObject *text = line_text(PySequence_Fast_GET_ITEM(seq, t));
        if (text == NULL) goto fail;
        Chars c;
        Py_ssize_t l, r, size;
        if (chars_of(text, &c) < 0) goto fail;
        strip_span(&c, &l, &r);
        /* the str's own UTF-8 (kept with it; an ASCII str's characters are it) */
        const char *utf8 = PyUnicode_AsUTF8AndSize(text, &size);
        if (utf8 == NULL) {
            if (!PyErr_ExceptionMatches(PyExc_UnicodeEncodeError)) goto fail;
            PyErr_Clear(); /* a surrogate */
            PyMem_Free(b.data);
            Py_DECREF(seq);
            Py_RETURN_NONE;
        }
        Py_ssize_t from = 0, to = size; /* the stripped span, in bytes */
        for (Py_ssize_t i = 0; i < l; i++) from += utf8_size(PyUnicode_READ(c.kind, c.data, i));
        for (Py_ssize_t i = r; i < c.n; i++) to -= utf8_size(PyUnicode_READ(c.kind, c.data, i));
        if ((t > 0 && buf_put(&b, "\n", 1) < 0) || buf_put(&b, utf8 + from, to - from) < 0) goto fail;
    }
    PyObject *joined = PyBytes_FromStringAndSize(b.data ? b.data : "", b.n);
    PyMem_Free(b.data);
    Py_DECREF(seq);
    return joined;
fail:
    PyMem_Free(b.data);
    Py_DECREF(seq);
    return NULL;
}

/* ---- end of boilerplate ---- */

/* ---- small steps ------------------------------------------
 * hyphen_splits(text) -> [(start, hyphen, after_break, end), ...]: per match
 * of dehyphenate._SPLIT.finditer(text): m.start(), m.start(2), m.end(3),
 * m.end(). Every match has a hyphen right after its left run of letters, and
 * hyphens are rare, so the search starts from each hyphen instead of reading
 * every letter: the left run is found walking back (at most 41 letters: a
 * longer run never matches), never past the end of the previous match (whose
 * right run is not read again, as finditer goes on after a match). The runs
 * a letter-by-letter walk would try are the maximal runs of letters, and only
 * a run that ends at a hyphen can match: the same matches, in the same order. */

static inline int is_split_hyphen(Py_UCS4 ch) { return ch == '-' || ch == 0x2010; }

/* the next '-' or U+2010 at or after from, or n */
static Py_ssize_t next_hyphen(int kind, const void *data, Py_ssize_t from, Py_ssize_t n) {
    if (from >= n) return n;
    if (kind == PyUnicode_1BYTE_KIND) { /* U+2010 is no Latin-1 character */
        const Py_UCS1 *p = (const Py_UCS1 *)data;
        const void *hit = memchr(p + from, '-', (size_t)(n - from));
        return hit == NULL ? n : (Py_ssize_t)((const Py_UCS1 *)hit - p);
    }
    if (kind == PyUnicode_2BYTE_KIND) {
        const Py_UCS2 *p = (const Py_UCS2 *)data;
        for (Py_ssize_t i = from; i < n; i++)
            if (p[i] == '-' || p[i] == 0x2010) return i;
        return n;
    }
    const Py_UCS4 *p = (const Py_UCS4 *)data;
    for (Py_ssize_t i = from; i < n; i++)
        if (p[i] == '-' || p[i] == 0x2010) return i;
    return n;
}

static PyObject *hyphen_splits(PyObject *self, PyObject *text) {
    Chars c;
    if (chars_of(text, &c) < 0) return NULL;
    int kind = c.kind;
    const void *data = c.data;
    Py_ssize_t n = c.n;
    PyObject *out = PyList_New(0);
    if (out == NULL) return NULL;
    Py_ssize_t done = 0; /* the end of the last match: finditer goes on from there */
    for (Py_ssize_t h = next_hyphen(kind, data, 0, n); h < n; h = next_hyphen(kind, data, h + 1, n)) {
        if (h < done) continue;
        /* the run of letters ending at h, not reaching back before done */
        Py_ssize_t s = h;
        while (s > done && h - s <= 40 && is_letter(PyUnicode_READ(kind, data, s - 1))) s--;
        if (s == h || h - s > 40) continue; /* no left run, or one longer than 40 letters */
        if (s > 0) {
            Py_UCS4 before = PyUnicode_READ(kind, data, s - 1);
            if (is_word(before) || before == '-' || before == '@' || before == '/' || before == '.') continue;
        }
        Py_ssize_t right = h + 1;
        if (right < n && PyUnicode_READ(kind, data, right) == '\n') right++;
        Py_ssize_t end = right;
        while (end < n && end - right < 41 && is_letter(PyUnicode_READ(kind, data, end))) end++;
        if (end == right || end - right > 40) continue;
        if (end < n) {
            Py_UCS4 after = PyUnicode_READ(kind, data, end);
            if (is_word(after) || after == '-' || after == '@' || after == '/') continue;
        }
        PyObject *match = Py_BuildValue("(nnnn)", s, h, right, end);
        if (match == NULL || PyList_Append(out, match) < 0) {
            Py_XDECREF(match);
            Py_DECREF(out);
            return NULL;
        }
        Py_DECREF(match);
        done = end;
    }
    return out;
}

/* ---- end of small steps ---- */

/* ---- line model ------------------------------------------
 * The line model's gates and document facts in one pass each:
 * dump_gate(text, chrome, min_lines, max_lines) -> whether the text has
 * min_lines..max_lines non-empty lines and they are a page dump
 * (linefeatures.page_dump of split_lines(text)): most documents are not, and
 * for them no line, word or feature is made at all.
 * stop_language(stats, names, masks) -> the document's stop-word language
 * (linefeatures.document_language of the words of line_stats rows). */

/* whether a \n-free run text[start:end] is menu-like or short (page_dump's
 * per-line facts): *small set when it has at most three words and at least
 * half of them are in chrome, lower-cased; returns its size, -1 on error */
static Py_ssize_t dump_line(PyObject *text, const Chars *c, Py_ssize_t start, Py_ssize_t end, PyObject *chrome,
                            int *menu) {
    Py_ssize_t words = 0, cjk = 0;
    int in_word = 0;
    *menu = 0;
    for (Py_ssize_t i = start; i < end; i++) {
        Py_UCS4 ch = PyUnicode_READ(c->kind, c->data, i);
        int w = is_word(ch);
        words += w && !in_word;
        in_word = w;
        cjk += ch >= 0x3040 && is_cjk(ch);
        if (words >= 8) return words; /* long: not short (SHORT_WORDS 8) nor menu-like; the rest need not be read */
    }
    Py_ssize_t size = words > cjk / 2 ? words : cjk / 2;
    if (size > 3 || words == 0) return size;
    Py_ssize_t members = 0, i = start;
    while (i < end) {
        if (!is_word(PyUnicode_READ(c->kind, c->data, i))) {
            i++;
            continue;
        }
        Py_ssize_t from = i++;
        while (i < end && is_word(PyUnicode_READ(c->kind, c->data, i))) i++;
        PyObject *word = word_lower(text, c->kind, c->data, from, i);
        if (word == NULL) return -1;
        int in = PySet_Contains(chrome, word);
        Py_DECREF(word);
        if (in < 0) return -1;
        members += in;
    }
    *menu = 2 * members >= words; /* members / words >= 0.5, exactly */
    return size;
}

/* the offset of the first \n at or after i, or the text's length */
static Py_ssize_t line_end(const Chars *c, Py_ssize_t i) {
    if (c->kind == PyUnicode_1BYTE_KIND) {
        const char *at = memchr((const char *)c->data + i, '\n', (size_t)(c->n - i));
        return at == NULL ? c->n : at - (const char *)c->data;
    }
    if (c->kind == PyUnicode_2BYTE_KIND) { /* most texts (a curly quote is past Latin-1) */
        const Py_UCS2 *at = (const Py_UCS2 *)c->data;
        /* four characters a step: past any lane equal to
         * "\n" the zero-lane test of x = lanes ^ "\n" is not 0; the
         * characters from there on are looked at one by one */
        for (; i + 4 <= c->n; i += 4) {
            uint64_t lanes;
            memcpy(&lanes, at + i, sizeof lanes);
            uint64_t x = lanes ^ 0x000A000A000A000AULL;
            if (((x - 0x0001000100010001ULL) & ~x & 0x8000800080008000ULL) != 0) break;
        }
        while (i < c->n && at[i] != '\n') i++;
        return i;
    }
    const Py_UCS4 *at = (const Py_UCS4 *)c->data;
    while (i < c->n && at[i] != '\n') i++;
    return i;
}

static PyObject *dump_gate(PyObject *self, PyObject *args) {
    PyObject *text, *chrome;
    Py_ssize_t min_lines, max_lines;
    if (!PyArg_ParseTuple(args, "UOnn", &text, &chrome, &min_lines, &max_lines)) return NULL;
    if (!PyAnySet_Check(chrome)) {
        PyErr_SetString(PyExc_TypeError, "chrome must be a set");
        return NULL;
    }
    Chars c;
    if (chars_of(text, &c) < 0) return NULL;
    Py_ssize_t lines = 0, i = 0;
    while (i < c.n && lines <= max_lines) { /* counted first: most texts are too short to be a dump */
        if (PyUnicode_READ(c.kind, c.data, i) == '\n') {
            i++;
            continue;
        }
        lines++;
        i = line_end(&c, i);
    }
    if (lines < min_lines || lines > max_lines || lines == 0) Py_RETURN_FALSE;
    Py_ssize_t short_lines = 0, menus = 0, seen = 0;
    i = 0;
    /* stopped as soon as the answer is sure either way */
    while (i < c.n && !(2 * short_lines >= lines && menus >= 2) && 2 * (short_lines + lines - seen) >= lines) {
        if (PyUnicode_READ(c.kind, c.data, i) == '\n') {
            i++;
            continue;
        }
        Py_ssize_t start = i;
        i = line_end(&c, i);
        int menu;
        Py_ssize_t size = dump_line(text, &c, start, i, chrome, &menu);
        if (size < 0) return NULL;
        short_lines += size < 8; /* linefeatures.SHORT_WORDS */
        menus += menu;
        seen++;
    }
    /* short_lines / lines >= 0.5 (DUMP_SHORT_SHARE), exactly; DUMP_CHROME_LINES */
    return PyBool_FromLong(2 * short_lines >= lines && menus >= 2);
}

static PyObject *stop_language(PyObject *self, PyObject *args) {
    PyObject *stats, *names, *masks;
    if (!PyArg_ParseTuple(args, "OO!O!", &stats, &PyTuple_Type, &names, &PyDict_Type, &masks)) return NULL;
    Py_ssize_t langs = PyTuple_GET_SIZE(names);
    if (langs > 62) {
        PyErr_SetString(PyExc_ValueError, "at most 62 languages");
        return NULL;
    }
    PyObject *seq = PySequence_Fast(stats, "stats must be a sequence");
    if (seq == NULL) return NULL;
    long long hits[64] = {0}, total = 0;
    for (Py_ssize_t r = 0; r < PySequence_Fast_GET_SIZE(seq); r++) {
        PyObject *stat = PySequence_Fast_GET_ITEM(seq, r);
        PyObject *words = PyTuple_Check(stat) && PyTuple_GET_SIZE(stat) > 0 ? PyTuple_GET_ITEM(stat, 0) : NULL;
        if (words == NULL || !PyList_Check(words)) {
            PyErr_SetString(PyExc_TypeError, "each stat must be a tuple starting with a list of words");
            goto fail;
        }
        for (Py_ssize_t w = 0; w < PyList_GET_SIZE(words); w++) {
            total++;
            PyObject *mask = PyDict_GetItemWithError(masks, PyList_GET_ITEM(words, w));
            if (mask == NULL) {
                if (PyErr_Occurred()) goto fail;
                continue;
            }
            unsigned long long bits = PyLong_AsUnsignedLongLong(mask);
            if (bits == (unsigned long long)-1 && PyErr_Occurred()) goto fail;
            bits &= (1ULL << langs) - 1; /* bits past the last language name nothing */
            for (; bits; bits &= bits - 1) hits[__builtin_ctzll(bits)]++;
        }
    }
    Py_DECREF(seq);
    Py_ssize_t best = -1;
    double best_share = 0.0;
    for (Py_ssize_t b = 0; total > 0 && b < langs; b++) {
        double share = (double)hits[b] / (double)total; /* int / int, correctly rounded as in Python */
        if (share > best_share) {
            best = b;
            best_share = share;
        }
    }
    if (best < 0 || !(best_share >= 0.15)) Py_RETURN_NONE;
    PyObject *name = PyTuple_GET_ITEM(names, best);
    Py_INCREF(name);
    return name;
fail:
    Py_DECREF(seq);
    return NULL;
}
/* chrome_verdicts(model, base, rows, threshold, skip_first, names) ->
 * [(position, detail), ...] (see native.chrome_verdicts): the rows at or
 * above threshold, but row 0 with skip_first, each with its log line: the
 * probability 1 / (1 + exp(-score)) and the three largest contributions as
 * forest_top ranks them, named from names. Made with little work per row: rows
 * read as floats in place, every row walked through one tree before the
 * next tree (each row's sum still in explain's order), each chosen row's
 * contributions from the leaves found once and its log line written into
 * one buffer. */

/* format(value, ".2f") (or "+.2f" with sign) into out, exactly as Python
 * writes it, when value is finite and |value| < 2**40; returns the length, 0
 * for any other value. |value| = m * 2**e exactly (frexp:
 * m < 2**53, e < -12), so value * 100 = m * 100 * 2**e, with m * 100 below
 * 2**60, is rounded to an integer q by shifting, half to even as Python's
 * dtoa rounds a tie; then q / 100 "." q % 100. Python writes "-" before any
 * value with its sign bit set, -0.0 and what rounds to 0 included. A dozen
 * integer operations instead of dtoa's big numbers and its allocations:
 * the log lines of the chosen rows cost an eighth of chrome_verdicts so. */
static Py_ssize_t hundredths(char *out, double value, int sign) {
    if (!(fabs(value) < 1099511627776.0)) return 0; /* 2**40; NaN fails too */
    int exp;
    double mantissa = frexp(fabs(value), &exp);
    uint64_t n = (uint64_t)ldexp(mantissa, 53) * 100;
    int shift = 53 - exp; /* > 12 */
    uint64_t q;
    if (shift >= 61) {
        q = 0; /* value * 100 < 2**60 / 2**61: below one half */
    } else {
        uint64_t rest = n & ((1ULL << shift) - 1), half = 1ULL << (shift - 1);
        q = n >> shift;
        q += rest > half || (rest == half && (q & 1));
    }
    Py_ssize_t len = 0;
    if (signbit(value))
        out[len++] = '-';
    else if (sign)
        out[len++] = '+';
    char digits[24];
    int count = 0;
    uint64_t whole = q / 100;
    do {
        digits[count++] = (char)('0' + whole % 10);
        whole /= 10;
    } while (whole);
    while (count) out[len++] = digits[--count];
    out[len++] = '.';
    out[len++] = (char)('0' + q % 100 / 10);
    out[len++] = (char)('0' + q % 10);
    return len;
}

/* fixed_hundredths(value, sign) -> format(value, "+.2f" if sign else ".2f") */
static PyObject *fixed_hundredths(PyObject *self, PyObject *args) {
    double value;
    int sign;
    if (!PyArg_ParseTuple(args, "dp", &value, &sign)) return NULL;
    char out[32];
    Py_ssize_t len = hundredths(out, value, sign);
    if (len > 0) return PyUnicode_FromStringAndSize(out, len);
    char *text = PyOS_double_to_string(value, 'f', 2, sign ? Py_DTSF_SIGN : 0, NULL);
    if (text == NULL) return NULL;
    PyObject *result = PyUnicode_FromString(text);
    PyMem_Free(text);
    return result;
}

/* a double as format(value, ".2f") or "+.2f", appended at *at; -1 on error */
static int put_fixed(char *buf, Py_ssize_t *at, Py_ssize_t room, double value, int sign) {
    if (*at + 32 < room) { /* the common case: no dtoa */
        Py_ssize_t len = hundredths(buf + *at, value, sign);
        if (len > 0) {
            *at += len;
            return 0;
        }
    }
    char *text = PyOS_double_to_string(value, 'f', 2, sign ? Py_DTSF_SIGN : 0, NULL);
    if (text == NULL) return -1;
    size_t len = strlen(text);
    if (*at + (Py_ssize_t)len >= room) { /* cannot happen for probabilities and sums of tree steps */
        PyMem_Free(text);
        PyErr_SetString(PyExc_OverflowError, "a value too large to write");
        return -1;
    }
    memcpy(buf + *at, text, len);
    *at += (Py_ssize_t)len;
    PyMem_Free(text);
    return 0;
}

static void put_text(char *buf, Py_ssize_t *at, const char *text, Py_ssize_t len) {
    memcpy(buf + *at, text, (size_t)len);
    *at += len;
}

/* One tree (depth levels, its inner nodes' columns col, thresholds tc and
 * leaves' terms tt) walked by n rows: each row's leaf into leaf, its terms
 * added to score[r] root first (explain's order). Inlined with a constant
 * depth, the walk is unrolled. */
static inline void tree_rows(Py_ssize_t depth, const double *const *col, const double *tc, const double *tt,
                             Py_ssize_t from, Py_ssize_t n, double *score, int32_t *leaf) {
    const Py_ssize_t inner = ((Py_ssize_t)1 << depth) - 1;
    for (Py_ssize_t r = from; r < n; r++) {
        Py_ssize_t at = 0;
        for (Py_ssize_t level = 0; level < depth; level++) at = 2 * at + 1 + (col[at][r] > tc[at]);
        leaf[r] = (int32_t)(at - inner);
        const double *path = tt + (at - inner) * (depth + 1);
        double sum = score[r];
        for (Py_ssize_t level = 0; level <= depth; level++) sum += path[level];
        score[r] = sum;
    }
}

#if defined(__GNUC__) && defined(__x86_64__)
/* tree_rows(3, ...) of the rows from 0 on in fours, in the four lanes of
 * AVX2 registers (checked at run time); returns where it stopped. A leaf's
 * terms are picked by the masks of the seven tests, not loaded from where
 * the walk ends, and each lane adds them in explain's order: the root's
 * value, then each level's step. (The walk over corpus-1k's page dumps:
 * 15 -> 10 ms.) */
typedef double lanes_f64 __attribute__((vector_size(32)));
typedef long long lanes_i64 __attribute__((vector_size(32)));
typedef int32_t lanes_i32 __attribute__((vector_size(16)));

__attribute__((target("avx2"))) static inline lanes_f64 lanes_at(const double *at) {
    lanes_f64 x;
    memcpy(&x, at, sizeof x);
    return x;
}

__attribute__((target("avx2"))) static inline lanes_f64 lanes_of(double x) { return (lanes_f64){x, x, x, x}; }

__attribute__((target("avx2"))) static inline lanes_f64 pick(lanes_i64 mask, lanes_f64 yes, lanes_f64 no) {
    return (lanes_f64)((mask & (lanes_i64)yes) | (~mask & (lanes_i64)no));
}

__attribute__((target("avx2"))) static Py_ssize_t tree_rows3_avx2(const double *const *col, const double *tc,
                                                                    const double *tt, Py_ssize_t n, double *score,
                                                                    int32_t *leaf) {
    /* a level's step depends on that level's node alone: the leaves under
     * one node have the same (linemodel._Forest lays them out so) */
    lanes_f64 root = lanes_of(tt[0]), step1[2], step2[4], step3[8];
    for (int k = 0; k < 8; k++) { /* leaf k: under level-1 node k / 4 and level-2 node k / 2 */
        step1[k / 4] = lanes_of(tt[k * 4 + 1]);
        step2[k / 2] = lanes_of(tt[k * 4 + 2]);
        step3[k] = lanes_of(tt[k * 4 + 3]);
    }
    const double *c0 = col[0], *c1 = col[1], *c2 = col[2], *c3 = col[3], *c4 = col[4], *c5 = col[5], *c6 = col[6];
    Py_ssize_t r = 0;
    for (; r + 4 <= n; r += 4) {
        lanes_i64 right[7]; /* each node's test, all ones where the row goes right */
        right[0] = lanes_at(c0 + r) > tc[0];
        right[1] = lanes_at(c1 + r) > tc[1];
        right[2] = lanes_at(c2 + r) > tc[2];
        right[3] = lanes_at(c3 + r) > tc[3];
        right[4] = lanes_at(c4 + r) > tc[4];
        right[5] = lanes_at(c5 + r) > tc[5];
        right[6] = lanes_at(c6 + r) > tc[6];
        /* where each row goes at the root, at its level-1 node and at its level-2 node */
        lanes_i64 one = right[0];
        lanes_i64 two = (one & right[2]) | (~one & right[1]);
        lanes_i64 three = (one & ((two & right[6]) | (~two & right[5]))) |
                          (~one & ((two & right[4]) | (~two & right[3])));
        lanes_f64 sum;
        memcpy(&sum, score + r, sizeof sum);
        sum = sum + root;
        sum = sum + pick(one, step1[1], step1[0]);
        sum = sum + pick(one, pick(two, step2[3], step2[2]), pick(two, step2[1], step2[0]));
        sum = sum + pick(one, pick(two, pick(three, step3[7], step3[6]), pick(three, step3[5], step3[4])),
                         pick(two, pick(three, step3[3], step3[2]), pick(three, step3[1], step3[0])));
        memcpy(score + r, &sum, sizeof sum);
        lanes_i32 at = __builtin_convertvector((one & 4) | (two & 2) | (three & 1), lanes_i32);
        memcpy(leaf + r, &at, sizeof at);
    }
    return r;
}
#endif

/* chrome_verdicts' answer for the rows x (n rows of width features, row by
 * row), with the model's forest f */
static PyObject *verdicts_of(const Forest *model, double base, const double *x, Py_ssize_t n, Py_ssize_t width,
                             double threshold, int skip_first, PyObject *names) {
    const Forest f = *model;
    Py_ssize_t longest = 0;
    double *columns = NULL, *prob = NULL, *totals = NULL;
    Py_ssize_t *order = NULL, *chosen = NULL;
    int32_t *leaves = NULL;
    char *met = NULL, *line = NULL;
    const char **utf8 = NULL;
    Py_ssize_t *seen_at = NULL;
    Py_ssize_t *utf8_len = NULL;
    PyObject *out = PyList_New(0);
    if (out == NULL || n == 0) goto done;
    if (check_features(&f, width) < 0) goto fail;
    if (PyTuple_GET_SIZE(names) < width) {
        PyErr_SetString(PyExc_ValueError, "a name is needed for every feature");
        goto fail;
    }
    utf8 = PyMem_Malloc(sizeof(char *) * (size_t)(width + 1));
    utf8_len = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(width + 1));
    if (utf8 == NULL || utf8_len == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    for (Py_ssize_t i = 0; i < width; i++) {
        PyObject *name = PyTuple_GET_ITEM(names, i);
        if (!PyUnicode_Check(name)) {
            PyErr_SetString(PyExc_TypeError, "names must be str");
            goto fail;
        }
        utf8[i] = PyUnicode_AsUTF8AndSize(name, &utf8_len[i]);
        if (utf8[i] == NULL) goto fail;
        if (utf8_len[i] > longest) longest = utf8_len[i];
    }
    prob = PyMem_Malloc(sizeof(double) * (size_t)n);
    chosen = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)n);
    leaves = PyMem_Malloc(sizeof(int32_t) * (size_t)(n * f.trees + 1)); /* tree by tree */
    /* "P(chrome)=" p " in a page dump; " and three of name " " value ", " */
    Py_ssize_t room = 64 + 3 * (longest + 400);
    line = PyMem_Malloc((size_t)room);
    if (prob == NULL || chosen == NULL || leaves == NULL || line == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    /* tree by tree over all rows: each row's sum still goes tree by tree,
     * root to leaf (explain's order), while the rows' walks, independent of
     * each other, overlap; a tree's nodes stay at hand for all rows */
    const double *terms = (const double *)f.terms.buf;
    const int32_t *feature = (const int32_t *)f.feature.buf;
    const double *cut = (const double *)f.threshold.buf;
    const Py_ssize_t depth = f.depth, inner = f.inner, stride = depth + 1, trees = f.trees;
    for (Py_ssize_t r = 0; r < n; r++) prob[r] = base; /* the scores, until they are made probabilities */
    /* the rows' values feature by feature: a tree reads a few features of every row */
    columns = PyMem_Malloc(sizeof(double) * (size_t)(n * width + 1));
    if (columns == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    for (Py_ssize_t r = 0; r < n; r++)
        for (Py_ssize_t i = 0; i < width; i++) columns[i * n + r] = x[r * width + i];
    const double *col[32];
#if defined(__GNUC__) && defined(__x86_64__)
    const int avx2 = __builtin_cpu_supports("avx2");
#endif
    for (Py_ssize_t t = 0; t < trees; t++) {
        const int32_t *tf = feature + t * inner;
        const double *tc = cut + t * inner, *tt = terms + t * f.leaves * stride;
        int32_t *tree_leaves = leaves + t * n;
        if (inner < 32) { /* the model's depth is 3: unrolled, each node's column at hand */
            for (Py_ssize_t at = 0; at < inner; at++) col[at] = columns + tf[at] * n;
            if (depth == 3) {
                Py_ssize_t from = 0;
#if defined(__GNUC__) && defined(__x86_64__)
                if (avx2) from = tree_rows3_avx2(col, tc, tt, n, prob, tree_leaves);
#endif
                tree_rows(3, col, tc, tt, from, n, prob, tree_leaves);
            } else {
                tree_rows(depth, col, tc, tt, 0, n, prob, tree_leaves);
            }
            continue;
        }
        for (Py_ssize_t r = 0; r < n; r++) {
            const double *row = columns + r;
            Py_ssize_t at = 0;
            for (Py_ssize_t level = 0; level < depth; level++) at = 2 * at + 1 + (row[tf[at] * n] > tc[at]);
            tree_leaves[r] = (int32_t)(at - inner);
            const double *path = tt + (at - inner) * stride;
            double score = prob[r];
            for (Py_ssize_t level = 0; level < stride; level++) score += path[level];
            prob[r] = score;
        }
    }
    Py_ssize_t count = 0;
    for (Py_ssize_t r = 0; r < n; r++) {
        double e = exp(-prob[r]);
        if (isinf(e)) { /* as math.exp says it */
            PyErr_SetString(PyExc_OverflowError, "math range error");
            goto fail;
        }
        double p = 1.0 / (1.0 + e);
        prob[r] = p;
        if (p >= threshold && !(r == 0 && skip_first)) chosen[count++] = r;
    }
    /* the chosen rows' contributions, tree by tree as the walk: each row's
     * per feature sums in explain's order (contributions.get(name, 0.0) +
     * child - value, left to right), its features in the order first met */
    totals = PyMem_Calloc((size_t)(count * width) + 1, sizeof(double));
    order = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(count * width + 1));
    met = PyMem_Calloc((size_t)(count * width) + 1, 1);
    seen_at = PyMem_Calloc((size_t)count + 1, sizeof(Py_ssize_t));
    if (totals == NULL || order == NULL || met == NULL || seen_at == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    const double *values = (const double *)f.values.buf;
    const int32_t *steps = (const int32_t *)f.step_feature.buf;
    for (Py_ssize_t t = 0; t < trees; t++) {
        const int32_t *tree_leaves = leaves + t * n;
        for (Py_ssize_t c0 = 0; c0 < count; c0++) {
            Py_ssize_t at = t * f.leaves + tree_leaves[chosen[c0]];
            const double *path = values + at * stride;
            const int32_t *on = steps + at * depth;
            double *sum = totals + c0 * width;
            char *row_met = met + c0 * width;
            for (Py_ssize_t level = 0; level < depth; level++) {
                int32_t feature = on[level];
                if (feature < 0) break; /* past a real leaf: nothing more */
                if (!row_met[feature]) {
                    row_met[feature] = 1;
                    order[c0 * width + seen_at[c0]++] = feature;
                }
                sum[feature] = (sum[feature] + path[level + 1]) - path[level];
            }
        }
    }
    for (Py_ssize_t c0 = 0; c0 < count; c0++) {
        Py_ssize_t position = chosen[c0], seen = seen_at[c0], *row_order = order + c0 * width;
        const double *total = totals + c0 * width;
        Py_ssize_t keep = seen < 3 ? seen : 3;
        for (Py_ssize_t k = 0; k < keep; k++) { /* as forest_top selects */
            Py_ssize_t best = k;
            for (Py_ssize_t i = k + 1; i < seen; i++)
                if (-total[row_order[i]] < -total[row_order[best]]) best = i;
            Py_ssize_t pick = row_order[best];
            memmove(row_order + k + 1, row_order + k, (size_t)(best - k) * sizeof(Py_ssize_t));
            row_order[k] = pick;
        }
        Py_ssize_t at = 0;
        put_text(line, &at, "P(chrome)=", 10);
        if (put_fixed(line, &at, room, prob[position], 0) < 0) goto fail;
        put_text(line, &at, " in a page dump; ", 17);
        for (Py_ssize_t k = 0; k < keep; k++) {
            if (k > 0) put_text(line, &at, ", ", 2);
            put_text(line, &at, utf8[row_order[k]], utf8_len[row_order[k]]);
            put_text(line, &at, " ", 1);
            if (put_fixed(line, &at, room, total[row_order[k]], 1) < 0) goto fail;
        }
        PyObject *detail = PyUnicode_DecodeUTF8(line, at, "strict");
        PyObject *item = detail ? Py_BuildValue("(nN)", position, detail) : NULL;
        if (item == NULL || PyList_Append(out, item) < 0) {
            Py_XDECREF(item);
            goto fail;
        }
        Py_DECREF(item);
    }
    goto done;
fail:
    Py_CLEAR(out);
done:
    PyMem_Free(prob);
    PyMem_Free(chosen);
    PyMem_Free(leaves);
    PyMem_Free(totals);
    PyMem_Free(order);
    PyMem_Free(met);
    PyMem_Free(line);
    PyMem_Free(columns);
    PyMem_Free(seen_at);
    PyMem_Free(utf8);
    PyMem_Free(utf8_len);
    return out;
}

static PyObject *chrome_verdicts(PyObject *self, PyObject *args) {
    PyObject *model, *rows, *names;
    double base, threshold;
    int skip_first;
    Forest f;
    if (!PyArg_ParseTuple(args, "OdOdpO!", &model, &base, &rows, &threshold, &skip_first, &PyTuple_Type, &names))
        return NULL;
    PyObject *seq = PySequence_Fast(rows, "rows must be a sequence");
    if (seq == NULL) return NULL;
    if (forest_get(model, &f) < 0) {
        Py_DECREF(seq);
        return NULL;
    }
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq), width = 0;
    double *x = NULL;
    PyObject *out = NULL;
    if (n > 0) {
        width = PySequence_Size(PySequence_Fast_GET_ITEM(seq, 0));
        if (width < 0) goto done;
        x = PyMem_Malloc(sizeof(double) * (size_t)(n * width + 1));
        if (x == NULL) {
            PyErr_NoMemory();
            goto done;
        }
    }
    for (Py_ssize_t r = 0; r < n; r++) {
        PyObject *row = PySequence_Fast_GET_ITEM(seq, r);
        if (PyTuple_CheckExact(row) && PyTuple_GET_SIZE(row) == width) {
            double *to = x + r * width;
            Py_ssize_t i = 0;
            for (; i < width; i++) { /* floats read in place; anything else as row_values reads it */
                PyObject *v = PyTuple_GET_ITEM(row, i);
                if (!PyFloat_CheckExact(v)) break;
                to[i] = PyFloat_AS_DOUBLE(v);
            }
            if (i == width) continue;
        }
        if (row_values(row, x + r * width, width) < 0) goto done;
    }
    out = verdicts_of(&f, base, x, n, width, threshold, skip_first, names);
done:
    PyMem_Free(x);
    forest_release(&f);
    Py_DECREF(seq);
    return out;
}

/* table_verdicts(model, base, inputs, threshold, skip_first, names) ->
 * chrome_verdicts(model, base, feature_table(*inputs), threshold,
 * skip_first, names), the rows never made tuples of Python floats (a page
 * dump's few hundred rows of 46 values each made an object, read back and
 * freed: 7% of the line model step on corpus-1k) */
static PyObject *table_verdicts(PyObject *self, PyObject *args) {
    PyObject *model, *inputs, *names;
    double base, threshold;
    int skip_first;
    Forest f;
    if (!PyArg_ParseTuple(args, "OdO!dpO!", &model, &base, &PyTuple_Type, &inputs, &threshold, &skip_first,
                          &PyTuple_Type, &names))
        return NULL;
    if (forest_get(model, &f) < 0) return NULL;
    double *rows;
    Py_ssize_t n;
    PyObject *out = NULL;
    if (feature_matrix(inputs, &rows, &n) == 0) {
        out = verdicts_of(&f, base, rows, n, FEATURE_COUNT, threshold, skip_first, names);
        PyMem_Free(rows);
    }
    forest_release(&f);
    return out;
}

/* date_marks(texts, stats) -> per text MARK_DATE (4) when linefeatures._DATE
 * matches it and its line_stats row counts a digit, else 0
 * (linefeatures.pattern_marks with no other pattern wanted). _DATE is
 * matched here as Python's re matches it (IGNORECASE, str pattern): \b and
 * \w as is_word, \d as is_decimal, \s as str.isspace, and a letter of the
 * pattern as its ASCII letter or the characters re folds to it (U+0130 and
 * U+0131 to i, U+017F to s, U+212A to k). Every alternative is anchored at
 * a word start and, past its fixed parts, consumes maximal runs, so a
 * match is found without backtracking. */
static inline Py_UCS4 date_fold(Py_UCS4 ch) {
    if (ch < 128) return ascii_alpha(ch) ? (ch | 0x20) : 0;
    if (ch == 0x130 || ch == 0x131) return 'i';
    if (ch == 0x17f) return 's';
    if (ch == 0x212a) return 'k';
    return 0;
}

typedef struct {
    const Chars *c;
    Py_ssize_t n;
} DateText;

static inline Py_UCS4 date_at(const DateText *t, Py_ssize_t i) {
    return i < t->n ? PyUnicode_READ(t->c->kind, t->c->data, i) : 0;
}
static inline int date_end(const DateText *t, Py_ssize_t i) { return i >= t->n || !is_word(date_at(t, i)); }
static Py_ssize_t date_run(const DateText *t, Py_ssize_t i, int (*in)(Py_UCS4)) {
    while (i < t->n && in(date_at(t, i))) i++;
    return i;
}
static int date_space(Py_UCS4 ch) { return Py_UNICODE_ISSPACE(ch); }
static int date_digit(Py_UCS4 ch) { return is_decimal(ch); }
static int date_letter(Py_UCS4 ch) { return date_fold(ch) != 0; }

/* the letters text[i:j] fold to, when they are letters and at most 7 */
static int date_word(const DateText *t, Py_ssize_t i, Py_ssize_t j, char *out) {
    if (j - i > 7) return 0;
    for (Py_ssize_t k = i; k < j; k++) {
        Py_UCS4 f = date_fold(date_at(t, k));
        if (f == 0) return 0;
        out[k - i] = (char)f;
    }
    out[j - i] = 0;
    return 1;
}

static const char *const MONTHS[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul",
                                     "aug", "sep", "oct", "nov", "dec", NULL};
static const char *const UNITS[] = {"hour", "hours", "minute", "minutes", "day", "days",
                                    "min",  "mins",  "hr",     "hrs",     NULL};

/* a month's three letters at i (the rest of the pattern's months, "sept",
 * begin with one of them and are taken by [a-z]* after it) */
static int month_at(const DateText *t, Py_ssize_t i) {
    char word[4];
    if (i + 3 > t->n || !date_word(t, i, i + 3, word)) return 0;
    for (int m = 0; MONTHS[m] != NULL; m++)
        if (memcmp(word, MONTHS[m], 3) == 0) return 1;
    return 0;
}

/* any alternative of _DATE starting at i, a word start */
static int date_from(const DateText *t, Py_ssize_t i) {
    Py_UCS4 ch = date_at(t, i);
    if (date_fold(ch)) { /* month[a-z]*\.?\s+\d{1,2}\b */
        if (!month_at(t, i)) return 0;
        Py_ssize_t j = date_run(t, i + 3, date_letter);
        if (date_at(t, j) == '.') j++;
        Py_ssize_t k = date_run(t, j, date_space);
        if (k == j) return 0;
        Py_ssize_t d = date_run(t, k, date_digit);
        return (d - k == 1 || d - k == 2) && date_end(t, d);
    }
    if (!is_decimal(ch)) return 0;
    Py_ssize_t d = date_run(t, i, date_digit), digits = d - i;
    /* \d{1,2}:\d{2}\b */
    if (digits <= 2 && date_at(t, d) == ':' && date_run(t, d + 1, date_digit) - (d + 1) >= 2 && date_end(t, d + 3))
        return 1;
    /* (?:19|20)\d{2}\b */
    if (digits >= 4 && date_end(t, i + 4) && ((ch == '1' && date_at(t, i + 1) == '9') || (ch == '2' && date_at(t, i + 1) == '0')))
        return 1;
    Py_ssize_t s = date_run(t, d, date_space);
    if (s == d) return 0;
    /* \d{1,2}\s+month[a-z]*\b */
    if (digits <= 2 && month_at(t, s) && date_end(t, date_run(t, s + 3, date_letter))) return 1;
    /* \d+\s+(?:hours?|minutes?|days?|mins?|hrs?)\s+ago\b */
    Py_ssize_t u = s;
    while (u < t->n && !Py_UNICODE_ISSPACE(date_at(t, u))) u++;
    char unit[8];
    if (u == s || !date_word(t, s, u, unit)) return 0;
    int known = 0;
    for (int k = 0; UNITS[k] != NULL && !known; k++) known = strcmp(unit, UNITS[k]) == 0;
    Py_ssize_t a = date_run(t, u, date_space);
    char ago[4];
    return known && a > u && date_word(t, a, a + 3, ago) && a + 3 <= t->n && strcmp(ago, "ago") == 0 &&
           date_end(t, a + 3);
}

static PyObject *date_marks(PyObject *self, PyObject *args) {
    PyObject *texts, *stats;
    if (!PyArg_ParseTuple(args, "OO", &texts, &stats)) return NULL;
    PyObject *seq = PySequence_Fast(texts, "texts must be a sequence"), *rows = NULL, *out = NULL;
    if (seq == NULL) return NULL;
    rows = PySequence_Fast(stats, "stats must be a sequence");
    if (rows == NULL) goto fail;
    Py_ssize_t count = PySequence_Fast_GET_SIZE(seq);
    if (PySequence_Fast_GET_SIZE(rows) != count) {
        PyErr_SetString(PyExc_ValueError, "a stats row is needed for every text");
        goto fail;
    }
    out = PyList_New(count);
    if (out == NULL) goto fail;
    for (Py_ssize_t r = 0; r < count; r++) {
        PyObject *stat = PySequence_Fast_GET_ITEM(rows, r);
        if (!PyTuple_Check(stat) || PyTuple_GET_SIZE(stat) < 3) {
            PyErr_SetString(PyExc_TypeError, "each stats row must be a line_stats tuple");
            goto fail;
        }
        int digit = PyObject_IsTrue(PyTuple_GET_ITEM(stat, 2));
        if (digit < 0) goto fail;
        Chars c;
        if (chars_of(PySequence_Fast_GET_ITEM(seq, r), &c) < 0) goto fail;
        DateText t = {&c, c.n};
        long mark = 0;
        for (Py_ssize_t i = 0; digit && i < c.n && !mark; i++)
            if ((i == 0 || !is_word(date_at(&t, i - 1))) && is_word(date_at(&t, i)) && date_from(&t, i)) mark = 4;
        PyList_SET_ITEM(out, r, PyLong_FromLong(mark));
        if (PyList_GET_ITEM(out, r) == NULL) goto fail;
    }
    Py_DECREF(seq);
    Py_DECREF(rows);
    return out;
fail:
    Py_XDECREF(out);
    Py_XDECREF(rows);
    Py_DECREF(seq);
    return NULL;
}
/* ---- end of line model ---- */

/* ---- small steps ----------------------------------------------
 * The regex scans of the spaces and whitespace steps, as one loop over the
 * maximal runs of ' ' (the regexes try their alternatives at every
 * character of a text; a run of spaces is where every match is).
 *
 * edge_spaces(text) -> [(start, end), ...]: unicode._TRAILING's matches. A
 * match is a whole maximal run of spaces: its first alternative starts only
 * where no space is before (so at a run's start) and takes the run
 * possessively, needing "\n" or the end after it; the second starts only
 * after "\n" (a run's start) and takes the run greedily, needing nothing
 * after; the third starts only at 0. So: the runs that touch the text's
 * start or end or a "\n" on either side.
 *
 * space_runs(text) -> [(start, end), ...]: unicode._SPACE_RUN's matches,
 * (?<=\S) {2,}(?=\S): the maximal runs of two spaces or more with a
 * character other than whitespace (str.isspace, what \s is for a str) on
 * both sides; started inside a run the lookbehind fails, and a shorter run
 * is followed by a space, which is whitespace.
 *
 * odd_spaces(text) -> [offset, ...]: the offsets of unicode._ODD_SPACE's
 * characters, U+00A0, U+2000..U+200A, U+202F, U+205F. */

enum { RUNS_EDGE, RUNS_PAIR };

#define SPACE_RUNS_LOOP(T)                                                                            \
    {                                                                                                 \
        const T *d = (const T *)c.data;                                                               \
        Py_ssize_t n = c.n, i = 0;                                                                    \
        while (i < n) {                                                                               \
            if (d[i] != ' ') {                                                                        \
                i++;                                                                                  \
                continue;                                                                             \
            }                                                                                         \
            Py_ssize_t s = i;                                                                         \
            while (i < n && d[i] == ' ') i++;                                                         \
            int take;                                                                                 \
            if (mode == RUNS_EDGE)                                                                    \
                take = s == 0 || d[s - 1] == '\n' || i == n || d[i] == '\n';                          \
            else                                                                                      \
                take = i - s >= 2 && s > 0 && i < n && !Py_UNICODE_ISSPACE(d[s - 1]) &&               \
                       !Py_UNICODE_ISSPACE(d[i]);                                                     \
            if (take && append_span(out, s, i) < 0) {                                                 \
                Py_DECREF(out);                                                                       \
                return NULL;                                                                          \
            }                                                                                         \
        }                                                                                             \
    }

static PyObject *space_runs_of(PyObject *text, int mode) {
    Chars c;
    if (chars_of(text, &c) < 0) return NULL;
    PyObject *out = PyList_New(0);
    if (out == NULL) return NULL;
    switch (c.kind) {
    case PyUnicode_1BYTE_KIND: SPACE_RUNS_LOOP(Py_UCS1) break;
    case PyUnicode_2BYTE_KIND: SPACE_RUNS_LOOP(Py_UCS2) break;
    default: SPACE_RUNS_LOOP(Py_UCS4) break;
    }
    return out;
}

static PyObject *edge_spaces(PyObject *self, PyObject *text) { return space_runs_of(text, RUNS_EDGE); }

static PyObject *space_runs(PyObject *self, PyObject *text) { return space_runs_of(text, RUNS_PAIR); }

static inline int is_odd_space(Py_UCS4 ch) {
    return ch == 0xa0 || (ch >= 0x2000 && ch <= 0x200a) || ch == 0x202f || ch == 0x205f;
}

static PyObject *odd_spaces(PyObject *self, PyObject *text) {
    Chars c;
    if (chars_of(text, &c) < 0) return NULL;
    PyObject *out = PyList_New(0);
    if (out == NULL) return NULL;
    for (Py_ssize_t i = 0; i < c.n; i++) {
        Py_UCS4 ch = PyUnicode_READ(c.kind, c.data, i);
        if (ch < 0xa0 || !is_odd_space(ch)) continue;
        PyObject *at = PyLong_FromSsize_t(i);
        if (at == NULL || PyList_Append(out, at) < 0) {
            Py_XDECREF(at);
            Py_DECREF(out);
            return NULL;
        }
        Py_DECREF(at);
    }
    return out;
}

/* repeat_candidates(lines, first, last) -> [position, ...]: the positions,
 * from 1 on, of the lines (Line tuples, text at item 3) that may be a copy
 * of the headline for title.remove_repeated_title: the first len(first)
 * characters of the line left-stripped, case-folded, are first, or the last
 * len(last) of it right-stripped, case-folded, are last. Folded here one
 * character to one (simple_fold); a line whose window holds a character
 * that folds otherwise is a candidate too (the step checks every candidate
 * against the headline's key in full). */
static int window_folds_to(const Chars *c, Py_ssize_t from, const Chars *w) {
    /* a character folding to more than one anywhere in the window shifts
     * what the others are compared with (U+FB01 folds to "fi"): then
     * nothing is known here, and the line is a candidate */
    for (Py_ssize_t k = 0; k < w->n; k++)
        if (simple_fold(PyUnicode_READ(c->kind, c->data, from + k)) == 0) return 1;
    for (Py_ssize_t k = 0; k < w->n; k++)
        if (simple_fold(PyUnicode_READ(c->kind, c->data, from + k)) != PyUnicode_READ(w->kind, w->data, k)) return 0;
    return 1;
}

static PyObject *repeat_candidates(PyObject *self, PyObject *args) {
    PyObject *lines, *first, *last;
    Chars f, l;
    if (!PyArg_ParseTuple(args, "OUU", &lines, &first, &last) || chars_of(first, &f) < 0 || chars_of(last, &l) < 0)
        return NULL;
    PyObject *seq = PySequence_Fast(lines, "repeat_candidates needs a sequence of lines");
    if (seq == NULL) return NULL;
    PyObject *out = PyList_New(0);
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    for (Py_ssize_t i = 1; out != NULL && i < n; i++) {
        PyObject *text = line_text(PySequence_Fast_GET_ITEM(seq, i));
        Chars c;
        if (text == NULL) {
            Py_CLEAR(out);
            break;
        }
        if (chars_of(text, &c) < 0) {
            Py_CLEAR(out);
            break;
        }
        Py_ssize_t left, right;
        strip_span(&c, &left, &right);
        /* lstrip keeps trailing spaces and rstrip leading ones: only a
         * line of whitespace alone strips to nothing either way */
        Py_ssize_t lend = left == right ? left : c.n, rstart = left == right ? right : 0;
        int may = (lend - left >= f.n && window_folds_to(&c, left, &f)) ||
                  (right - rstart >= l.n && window_folds_to(&c, right - l.n, &l));
        if (may) {
            PyObject *at = PyLong_FromSsize_t(i);
            if (at == NULL || PyList_Append(out, at) < 0) Py_CLEAR(out);
            Py_XDECREF(at);
        }
    }
    Py_DECREF(seq);
    return out;
}

/* solid_words(text, words) -> set | None: the words the text writes solid,
 * as written or lower-cased (dehyphenate.SolidWords), or None when it is
 * not told here (the text holds U+0130, the one character str.lower()
 * makes two, or U+03A3, whose lowering depends on its neighbours; or a word
 * is longer than 128 or has no ASCII letter, or more than 40 are asked):
 * the caller then asks kernels.solid_among.
 *
 * A word is solid where it is a whole run of letters with no \w, "-" or
 * U+2010 on either side, and the run is the word or lowers to it. Without
 * those two characters str.lower() maps each character to one, on its own,
 * so the text's lowering at a run is the run's. The places are found by
 * searching each word in a byte copy of the text, lowered: ASCII by ASCII
 * rules, U+212A (Kelvin, the one other character lowering into ASCII) as
 * "k", every other character as 0x80. A run that lowers to the word reads
 * there as the word does, so no place is missed; each place found is then
 * checked exactly (edges, letters, the simple lowercase mapping, which
 * str.lower() never differs from but at those two, and str.lower() of the
 * run when it is not the word itself). Most words asked are in no text:
 * a search of bytes for the word's two rarest letters at their offsets is
 * what costs least (reading every character's class to find the runs costs
 * several times more). */
/* words of 128 characters at most; at most 40 words (20 pairs) asked: a
 * search costs a fifth of a nanosecond a character, and a read of every
 * character's class (kernels.solid_among) about five */
enum { SOLID_LONGEST = 128, SOLID_SEARCHES = 40 };

static inline unsigned char solid_byte(Py_UCS4 ch) {
    if (ch < 128) return (unsigned char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
    return ch == 0x212a ? 'k' : 0x80;
}

static inline int is_wordish(Py_UCS4 ch) { return ch == '-' || ch == 0x2010 || is_word(ch); }

/* 1 when chars[start:end] is word or lowers to it, 0 when not, -1 on an
 * error */
static int run_is_word(PyObject *text, const Chars *c, Py_ssize_t start, Py_ssize_t end, PyObject *word) {
    int wkind = PyUnicode_KIND(word);
    const void *wdata = PyUnicode_DATA(word);
    int exact = 1;
    for (Py_ssize_t k = 0; k < end - start; k++) {
        Py_UCS4 ch = PyUnicode_READ(c->kind, c->data, start + k), wc = PyUnicode_READ(wkind, wdata, k);
        if (ch == wc) continue;
        exact = 0;
        if ((ch < 128 ? (ch >= 'A' && ch <= 'Z' ? ch + 32 : ch) : Py_UNICODE_TOLOWER(ch)) != wc) return 0;
    }
    if (exact) return 1;
    PyObject *run = PyUnicode_Substring(text, start, end);
    PyObject *lowered = run == NULL ? NULL : PyObject_CallMethod(run, "lower", NULL);
    Py_XDECREF(run);
    if (lowered == NULL) return -1;
    int same = PyUnicode_Compare(lowered, word) == 0;
    Py_DECREF(lowered);
    return PyErr_Occurred() ? -1 : same;
}

/* whether [start, end) of text is a whole run of letters */
static int whole_letters(const Chars *c, Py_ssize_t start, Py_ssize_t end) {
    if (start > 0 && is_wordish(PyUnicode_READ(c->kind, c->data, start - 1))) return 0;
    if (end < c->n && is_wordish(PyUnicode_READ(c->kind, c->data, end))) return 0;
    for (Py_ssize_t k = start; k < end; k++)
        if (!is_letter(PyUnicode_READ(c->kind, c->data, k))) return 0;
    return 1;
}

/* English letters, rarest first: a word is searched by its two rarest */
static const char SOLID_RARE[] = "zqxjkvbpygfwmucldrhsnioate";
enum { SOLID_UNRANKED = sizeof SOLID_RARE };

/* a byte's place in SOLID_RARE, SOLID_UNRANKED for a byte not in it */
static Py_ssize_t solid_rank(unsigned char byte) {
    const char *at = byte < 128 && byte ? strchr(SOLID_RARE, byte) : NULL;
    return at == NULL ? SOLID_UNRANKED : at - SOLID_RARE;
}

/* the first place at, from <= at <= last, where bytes[at + a] is ka and
 * bytes[at + b] is kb; -1 when there is none. A word's rarest letter alone
 * stands at a hundred places of a text (corpus-1k: 134 a word asked, each
 * a memchr call and a memcmp), its two rarest at their offsets at a few:
 * sixteen places are tested a step (solid_words 15.6 -> 6.4 ms there). */
static Py_ssize_t solid_place(const unsigned char *bytes, Py_ssize_t from, Py_ssize_t last, Py_ssize_t a,
                              unsigned char ka, Py_ssize_t b, unsigned char kb) {
#if defined(__SSE2__)
    const __m128i want_a = _mm_set1_epi8((char)ka), want_b = _mm_set1_epi8((char)kb);
    for (; from + 15 <= last; from += 16) { /* reads up to bytes[last + max(a, b)]: within the text */
        __m128i at_a = _mm_loadu_si128((const __m128i *)(bytes + from + a));
        __m128i at_b = _mm_loadu_si128((const __m128i *)(bytes + from + b));
        int both = _mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(at_a, want_a), _mm_cmpeq_epi8(at_b, want_b)));
        if (both) return from + __builtin_ctz((unsigned)both);
    }
#endif
    for (; from <= last; from++)
        if (bytes[from + a] == ka && bytes[from + b] == kb) return from;
    return -1;
}

#define SOLID_BYTES(T)                                                                                \
    {                                                                                                 \
        const T *d = (const T *)c.data;                                                               \
        for (Py_ssize_t i = 0; i < c.n; i++) {                                                        \
            Py_UCS4 ch = d[i];                                                                        \
            if (ch == 0x130 || ch == 0x3a3) odd = 1;                                                  \
            bytes[i] = solid_byte(ch);                                                                \
        }                                                                                             \
    }

static PyObject *solid_words(PyObject *self, PyObject *args) {
    PyObject *text, *words;
    Chars c;
    if (!PyArg_ParseTuple(args, "UO", &text, &words) || chars_of(text, &c) < 0) return NULL;
    PyObject *seq = PySequence_Fast(words, "solid_words needs a sequence of str");
    if (seq == NULL) return NULL;
    Py_ssize_t count = PySequence_Fast_GET_SIZE(seq);
    PyObject **items = PySequence_Fast_ITEMS(seq);
    PyObject *out = NULL;
    unsigned char *bytes = NULL;
    for (Py_ssize_t w = 0; w < count; w++) {
        if (!PyUnicode_Check(items[w])) {
            PyErr_SetString(PyExc_TypeError, "solid_words needs a sequence of str");
            goto done;
        }
        if (PyUnicode_GET_LENGTH(items[w]) > SOLID_LONGEST) { /* not told here */
            out = Py_NewRef(Py_None);
            goto done;
        }
    }
    if (count > SOLID_SEARCHES) { /* one read of every character costs less than so many searches */
        out = Py_NewRef(Py_None);
        goto done;
    }
    out = PySet_New(NULL);
    if (out == NULL || count == 0 || c.n == 0) goto done;
    bytes = PyMem_Malloc((size_t)c.n);
    if (bytes == NULL) {
        Py_CLEAR(out);
        PyErr_NoMemory();
        goto done;
    }
    int odd = 0;
    switch (c.kind) {
    case PyUnicode_1BYTE_KIND: SOLID_BYTES(Py_UCS1) break;
    case PyUnicode_2BYTE_KIND: SOLID_BYTES(Py_UCS2) break;
    default: SOLID_BYTES(Py_UCS4) break;
    }
    if (odd) {
        Py_SETREF(out, Py_NewRef(Py_None));
        goto done;
    }
    for (Py_ssize_t w = 0; w < count; w++) {
        PyObject *word = items[w];
        Py_ssize_t len = PyUnicode_GET_LENGTH(word);
        /* a pair asks its word twice when it is lower-case already */
        if (len == 0 || len > c.n || (w > 0 && PyUnicode_Compare(word, items[w - 1]) == 0)) continue;
        int contains = PySet_Contains(out, word);
        if (contains < 0) {
            Py_CLEAR(out);
            goto done;
        }
        if (contains) continue;
        unsigned char key[SOLID_LONGEST];
        Py_ssize_t pick = 0;
        for (Py_ssize_t k = 0; k < len; k++) {
            key[k] = solid_byte(PyUnicode_READ_CHAR(word, k));
            if (solid_rank(key[k]) < solid_rank(key[pick])) pick = k;
        }
        if (solid_rank(key[pick]) == SOLID_UNRANKED) { /* no ASCII letter to search by (Cyrillic, Greek...): not told here */
            Py_SETREF(out, Py_NewRef(Py_None));
            goto done;
        }
        Py_ssize_t second = pick == len - 1 ? 0 : len - 1; /* the next rarest at another offset */
        for (Py_ssize_t k = 0; k < len; k++)
            if (k != pick && solid_rank(key[k]) < solid_rank(key[second])) second = k;
        /* each place where the two rarest bytes stand at their offsets in the word */
        for (Py_ssize_t at = solid_place(bytes, 0, c.n - len, pick, key[pick], second, key[second]); at >= 0;
             at = solid_place(bytes, at + 1, c.n - len, pick, key[pick], second, key[second])) {
            if (memcmp(bytes + at, key, (size_t)len) != 0 || !whole_letters(&c, at, at + len)) continue;
            int is = run_is_word(text, &c, at, at + len, word);
            if (is < 0 || (is && PySet_Add(out, word) < 0)) {
                Py_CLEAR(out);
                goto done;
            }
            if (is) break;
        }
    }
done:
    PyMem_Free(bytes);
    Py_DECREF(seq);
    return out;
}

/* ---- end of small steps ---- */

/* ---- documents' rows ------------------------------------------------------
 * A document's record as every table holds it, in one call: its
 * documents.jsonl line (json_record), its fields.csv row (the values of
 * validate.tables.document_row(record), as csv_fields writes them) and the
 * int64 bytes of its MinHash key lists (minhash_*.i64). Each was a pass over
 * the record of its own, the row through a dict made for it. The row is
 * written for records of the shape the pipeline makes; for any other it is
 * None, and the Python makes it. */

/* the last row's columns, reused while records have the same keys (the same
 * str objects in the same order: every record of a run), and the kinds
 * tuple their edits_ columns were named from */
static PyObject *last_columns, *last_kinds;

/* a list of ints that fit int64 as those int64, else None */
static PyObject *int64_bytes(PyObject *value) {
    if (!PyList_CheckExact(value)) Py_RETURN_NONE;
    Py_ssize_t n = PyList_GET_SIZE(value);
    PyObject *out = PyBytes_FromStringAndSize(NULL, n * (Py_ssize_t)sizeof(int64_t));
    if (out == NULL) return NULL;
    int64_t *keys = (int64_t *)PyBytes_AS_STRING(out);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = PyList_GET_ITEM(value, i);
        int overflow = !PyLong_CheckExact(item);
        long long v = overflow ? 0 : PyLong_AsLongLongAndOverflow(item, &overflow);
        if (overflow || (v == -1 && PyErr_Occurred())) {
            Py_DECREF(out);
            return overflow ? Py_NewRef(Py_None) : NULL;
        }
        keys[i] = v;
    }
    return out;
}

/* where a str key is in a tuple of strs: its index, else -1 (the record's
 * keys and the names asked for are mostly the same objects; else mostly of
 * another length) */
static Py_ssize_t str_at(PyObject *key, PyObject *strs) {
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(strs); i++) {
        PyObject *s = PyTuple_GET_ITEM(strs, i);
        if (s == key || (PyUnicode_Check(s) && PyUnicode_GET_LENGTH(s) == PyUnicode_GET_LENGTH(key) &&
                         PyUnicode_Compare(key, s) == 0))
            return i;
    }
    return -1;
}

/* whether a str starts with (or, exact, is) an ASCII name: a str of ASCII
 * characters only is always of the 1-byte kind */
static inline int ascii_prefix(PyObject *key, const char *name, Py_ssize_t len, int exact) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(key);
    return (exact ? n == len : n >= len) && PyUnicode_KIND(key) == PyUnicode_1BYTE_KIND &&
           memcmp(PyUnicode_DATA(key), name, (size_t)len) == 0;
}
#define KEY_IS(key, name) ascii_prefix(key, name, (Py_ssize_t)sizeof(name) - 1, 1)

/* the row's columns: its record keys, then edits_<kind> per kind,
 * edits_total and has_title (document_row's order) */
static PyObject *row_columns(PyObject *const *names, Py_ssize_t width, PyObject *kinds) {
    Py_ssize_t nk = PyTuple_GET_SIZE(kinds), i = 0;
    int same = last_columns != NULL && last_kinds == kinds && PyTuple_GET_SIZE(last_columns) == width + nk + 2;
    while (same && i < width && PyTuple_GET_ITEM(last_columns, i) == names[i]) i++;
    if (same && i == width) return Py_NewRef(last_columns);
    PyObject *columns = PyTuple_New(width + nk + 2);
    if (columns == NULL) return NULL;
    for (i = 0; i < width; i++) PyTuple_SET_ITEM(columns, i, Py_NewRef(names[i]));
    for (i = 0; i < nk + 2; i++) {
        PyObject *name = i < nk ? PyUnicode_FromFormat("edits_%U", PyTuple_GET_ITEM(kinds, i))
                                : PyUnicode_FromString(i == nk ? "edits_total" : "has_title");
        if (name == NULL) {
            Py_DECREF(columns);
            return NULL;
        }
        PyTuple_SET_ITEM(columns, width + i, name);
    }
    Py_XSETREF(last_columns, Py_NewRef(columns));
    Py_XSETREF(last_kinds, Py_NewRef(kinds));
    return columns;
}

/* the row's credits field: ";".join(credits or []); 1 when they are neither
 * empty nor a list of str */
static int csv_credits(ByteBuf *b, PyObject *credits) {
    int truth = PyObject_IsTrue(credits);
    if (truth <= 0) return truth;
    if (!PyList_CheckExact(credits)) return 1;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(credits); i++)
        if (!PyUnicode_CheckExact(PyList_GET_ITEM(credits, i))) return 1;
    PyObject *separator = PyUnicode_FromString(";");
    PyObject *joined = separator == NULL ? NULL : PyUnicode_Join(separator, credits);
    Py_XDECREF(separator);
    int rc = joined == NULL ? -1 : buf_csv_field(b, joined);
    Py_XDECREF(joined);
    return rc;
}

/* the row's last fields: int(counts.get(kind, 0)) per kind, their total
 * and has_title; 1 for counts other than falsy or a dict of ints that fit
 * a long long */
static int csv_counts(ByteBuf *b, PyObject *counts, PyObject *kinds, int has_title, char *letters) {
    int truth = counts == NULL ? 0 : PyObject_IsTrue(counts);
    if (truth < 0) return -1;
    if (truth && !PyDict_CheckExact(counts)) return 1;
    long long total = 0;
    Py_ssize_t nk = PyTuple_GET_SIZE(kinds);
    for (Py_ssize_t k = 0; k < nk; k++) {
        PyObject *kind = PyTuple_GET_ITEM(kinds, k), *count = NULL;
        if (!PyUnicode_CheckExact(kind)) return 1;
        if (truth && (count = PyDict_GetItemWithError(counts, kind)) == NULL && PyErr_Occurred()) return -1;
        int overflow = count != NULL && !PyLong_CheckExact(count);
        long long v = count == NULL || overflow ? 0 : PyLong_AsLongLongAndOverflow(count, &overflow);
        if (v == -1 && PyErr_Occurred()) return -1;
        if (overflow || __builtin_add_overflow(total, v, &total)) return 1;
        letters[k] = 'i';
        if (buf_ascii(b, ",") || buf_decimal(b, v)) return -1;
    }
    letters[nk] = 'i';
    letters[nk + 1] = 'b';
    return buf_ascii(b, ",") || buf_decimal(b, total) || buf_ascii(b, has_title ? ",True" : ",False") ? -1 : 0;
}

/* record_rows(record, skip, kinds, keyed) -> (line, row, keys):
 * json_record(record); the columns of document_row(record) (``skip`` its
 * DOCUMENT_TEXT_FIELDS, ``kinds`` edits.KINDS) and csv_fields of its values
 * (kinds, line), or None for a record of another shape (credits absent or
 * other than a list of str, counts other than ints, a key document_row
 * overwrites, a value csv_fields leaves to the csv module); and per name in
 * ``keyed`` int64_bytes of that field (None when absent). TypeError where
 * json_record raises it. */
static PyObject *record_rows(PyObject *self, PyObject *args) {
    PyObject *record, *skip, *kinds, *keyed, *key, *value, *counts = NULL, *keys = NULL, *row = NULL, *result = NULL;
    ByteBuf json = {NULL, 0, 0}, csv = {NULL, 0, 0}, nulls = {NULL, 0, 0};
    if (!PyArg_ParseTuple(args, "OO!O!O!", &record, &PyTuple_Type, &skip, &PyTuple_Type, &kinds, &PyTuple_Type,
                          &keyed))
        return NULL;
    if (!PyDict_CheckExact(record)) {
        PyErr_SetString(PyExc_TypeError, "a dict is needed");
        return NULL;
    }
    Py_ssize_t at = 0, width = 0, n = PyDict_GET_SIZE(record), nk = PyTuple_GET_SIZE(kinds);
    char *letters = PyMem_Malloc((size_t)(n + nk + 2));
    PyObject **names = PyMem_Malloc((size_t)(n ? n : 1) * sizeof(PyObject *));
    if (letters == NULL || names == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    if ((keys = PyTuple_New(PyTuple_GET_SIZE(keyed))) == NULL) goto done;
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(keyed); k++) PyTuple_SET_ITEM(keys, k, Py_NewRef(Py_None));
    int shaped = 1, credits = 0, has_title = 0; /* shaped: a row this writes */
    if (buf_ascii(&json, "{") < 0) goto done;
    while (PyDict_Next(record, &at, &key, &value)) {
        if (!PyUnicode_CheckExact(key)) {
            PyErr_SetString(PyExc_TypeError, "a key that is not a str");
            goto done;
        }
        if ((json.n > 1 && buf_ascii(&json, ", ")) || buf_json_string(&json, key) || buf_ascii(&json, ": ") ||
            buf_json(&json, value, 1))
            goto done;
        Py_ssize_t k = str_at(key, keyed);
        if (k >= 0) {
            PyObject *bytes = int64_bytes(value), *none = PyTuple_GET_ITEM(keys, k);
            if (bytes == NULL) goto done;
            PyTuple_SET_ITEM(keys, k, bytes);
            Py_DECREF(none);
        }
        if (!shaped || str_at(key, skip) >= 0) continue;
        if (KEY_IS(key, "edit_counts")) {
            counts = value;
            continue;
        }
        /* a column document_row writes itself */
        int rc = KEY_IS(key, "has_title") || ascii_prefix(key, "edits_", 6, 0);
        if (rc == 0 && width) rc = buf_ascii(&csv, ",");
        if (rc == 0 && KEY_IS(key, "credits")) {
            credits = 1;
            letters[width] = 's';
            rc = csv_credits(&csv, value);
        } else if (rc == 0) {
            rc = csv_value(&csv, &nulls, value, width, &letters[width]);
        }
        if (rc < 0) goto done;
        shaped = rc == 0;
        if (KEY_IS(key, "title")) has_title = value != Py_None;
        names[width++] = key;
    }
    if (buf_ascii(&json, "}\n") < 0) goto done;
    if (shaped && credits) {
        int rc = csv_counts(&csv, counts, kinds, has_title, letters + width);
        if (rc < 0) goto done;
        PyObject *columns = rc ? NULL : row_columns(names, width, kinds);
        PyObject *fields = columns ? csv_row_of(&csv, &nulls, letters, width + nk + 2) : NULL;
        if (fields != NULL)
            row = PyTuple_Pack(3, columns, PyTuple_GET_ITEM(fields, 0), PyTuple_GET_ITEM(fields, 1));
        Py_XDECREF(columns);
        Py_XDECREF(fields);
        if (row == NULL && (rc == 0 || PyErr_Occurred())) goto done;
    }
    result = Py_BuildValue("(y#OO)", json.data, json.n, row ? row : Py_None, keys);
done:
    PyMem_Free(letters);
    PyMem_Free(names);
    PyMem_Free(json.data);
    PyMem_Free(csv.data);
    PyMem_Free(nulls.data);
    Py_XDECREF(keys);
    Py_XDECREF(row);
    return result;
}

/* ---- end of documents' rows ---- */

static PyMethodDef methods[] = {
    /* lines (fast-lines) */
    {"line_keys", line_keys, METH_O, "Each text's words joined by one space, case-folded."},
    {"feature_table", feature_table, METH_VARARGS, "The line model's feature rows, in one pass."},
    {"cjk_counts", cjk_counts, METH_O, "Each text's CJK characters (linefeatures._CJK)."},
    /* end of lines (fast-lines) */
    /* boilerplate */
    {"line_suspects", line_suspects, METH_VARARGS, "Per line, the boilerplate checks it may pass (caption, dateline, credit)."},
    {"repeated_keys", repeated_keys, METH_O, "Every text's line key when two are the same, else None."},
    {"utf8_lines", utf8_lines, METH_O, "The lines' stripped texts joined by line breaks, in UTF-8."},
    /* end of boilerplate */
    {"line_stats", line_stats, METH_O, "What the line model reads of each line's characters."},
    {"hyphen_splits", hyphen_splits, METH_O, "The matches of dehyphenate._SPLIT, as offsets."},
    {"count_words", count_words, METH_O, "len(re.findall(r'\\w+', text))"},
    {"scan_lines", scan_lines, METH_VARARGS, "The non-empty lines of a text, with their word counts."},
    {"forest_scores", forest_scores, METH_VARARGS, "Each row's score (log-odds), summed in explain's order."},
    {"forest_contributions", forest_contributions, METH_VARARGS,
     "A row's contribution per feature, in explain's order of first use."},
    {"forest_top", forest_top, METH_VARARGS, "Per row, its k largest contributions, in explain's ranking."},
    /* pipeline (fast-pipeline) */
    {"edit_table", edit_table, METH_VARARGS, "A document's edits.jsonl lines (UTF-8), edits.i32 rows, labels."},
    {"csv_fields", csv_fields, METH_O, "A document row's fields.csv line and value kinds, or None."},
    {"json_record", json_record, METH_O, "json_line(row) in UTF-8, for rows of plain JSON types."},
    {"edit_counts", edit_counts, METH_O, "Counts of logged edits by kind, step (no flags) and reason."},
    {"mojibake_lines", mojibake_lines, METH_O, "The lines holding a mojibake pair, as (start, end)."},
    {"paragraph_breaks", paragraph_breaks, METH_VARARGS, "The runs of line breaks before end other than one blank line."},
    {"log_step", log_step, METH_VARARGS, "One step's edits checked, mapped to the raw input, logged and applied."},
    {"unicode_scan", unicode_scan, METH_O, "What the unicode steps look for in a text, as SCAN_* bits."},
    /* line model */
    {"dump_gate", dump_gate, METH_VARARGS, "Whether a text's lines are a page dump the line model judges."},
    {"stop_language", stop_language, METH_VARARGS, "The document's stop-word language from its line_stats rows."},
    {"chrome_verdicts", chrome_verdicts, METH_VARARGS, "The line model's chosen rows and their log lines, in one call."},
    {"date_marks", date_marks, METH_VARARGS, "Per line, MARK_DATE where linefeatures._DATE matches."},
    /* end of line model */
    /* small steps */
    {"edge_spaces", edge_spaces, METH_O, "The runs of spaces at a line's edge (unicode._TRAILING), as (start, end)."},
    {"space_runs", space_runs, METH_O, "The runs of two spaces or more inside a line (unicode._SPACE_RUN)."},
    {"odd_spaces", odd_spaces, METH_O, "The offsets of unicode._ODD_SPACE's characters."},
    {"repeat_candidates", repeat_candidates, METH_VARARGS, "The lines from 1 on that may repeat the headline."},
    {"solid_words", solid_words, METH_VARARGS, "The words a text writes solid, as written or lowered; None: ask elsewhere."},
    /* documents' rows */
    {"record_rows", record_rows, METH_VARARGS, "A record's documents.jsonl line, fields.csv row and MinHash keys, in one pass."},
    /* line model */
    {"fixed_hundredths", fixed_hundredths, METH_VARARGS, "format(value, '+.2f' if sign else '.2f'), without dtoa."},
    /* end of line model */
    /* line model */
    {"table_verdicts", table_verdicts, METH_VARARGS, "chrome_verdicts of feature_table's rows, without their objects."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "seedclean.normalize._native", NULL, -1, methods};

PyMODINIT_FUNC PyInit__native(void) { return PyModule_Create(&module); }
