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
    for (Py_ssize_t r = 0; r < n; r++) {
        PyObject *row = PySequence_Fast_GET_ITEM(seq, r);
        if (width < 0) {
            width = PySequence_Size(row);
            if (width < 0) goto fail;
            if (check_features(&f, width) < 0) goto fail;
            x = PyMem_Malloc(sizeof(double) * (width ? width : 1));
            if (x == NULL) {
                PyErr_NoMemory();
                goto fail;
            }
        }
        if (row_values(row, x, width) < 0) goto fail;
        double score = base;
        for (Py_ssize_t t = 0; t < f.trees; t++) {
            const double *path = terms + (t * f.leaves + leaf_of(&f, t, x)) * (f.depth + 1);
            for (Py_ssize_t level = 0; level <= f.depth; level++) score += path[level];
        }
        PyObject *value = PyFloat_FromDouble(score);
        if (value == NULL) goto fail;
        PyList_SET_ITEM(out, r, value);
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

/* A row's contributions per feature, summed as explain sums them, in the
 * order explain first meets each feature: features into order[0..seen),
 * their sums into total[feature]. met: width bytes, all 0 on entry and exit. */
static Py_ssize_t row_contributions(const Forest *f, const double *x, double *total, Py_ssize_t *order, char *met) {
    const double *values = (const double *)f->values.buf;
    const int32_t *steps = (const int32_t *)f->step_feature.buf;
    Py_ssize_t seen = 0;
    for (Py_ssize_t t = 0; t < f->trees; t++) {
        Py_ssize_t leaf = t * f->leaves + leaf_of(f, t, x);
        const double *path = values + leaf * (f->depth + 1);
        const int32_t *on = steps + leaf * f->depth;
        for (Py_ssize_t level = 0; level < f->depth; level++) {
            int32_t feature = on[level];
            if (feature < 0) break; /* past a real leaf: nothing more */
            if (!met[feature]) {
                met[feature] = 1;
                total[feature] = 0.0;
                order[seen++] = feature;
            }
            /* explain: contributions.get(name, 0.0) + child - value, left to right */
            total[feature] = (total[feature] + path[level + 1]) - path[level];
        }
    }
    for (Py_ssize_t i = 0; i < seen; i++) met[order[i]] = 0;
    return seen;
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
    x = PyMem_Calloc(2 * (size_t)width + 1, sizeof(double));
    order = PyMem_Calloc((size_t)width + 1, sizeof(Py_ssize_t));
    met = PyMem_Calloc((size_t)width + 1, 1);
    if (x == NULL || order == NULL || met == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    if (check_features(&f, width) < 0) goto done;
    double *total = x + width;
    PyObject *results = PyList_New(n);
    if (results == NULL) goto done;
    for (Py_ssize_t r = 0; r < n; r++) {
        if (row_values(PySequence_Fast_GET_ITEM(seq, r), x, width) < 0) {
            Py_DECREF(results);
            goto done;
        }
        Py_ssize_t seen = row_contributions(&f, x, total, order, met);
        if (top >= 0) { /* selection: the first of the largest, top times */
            Py_ssize_t keep = seen < top ? seen : top;
            for (Py_ssize_t k = 0; k < keep; k++) {
                Py_ssize_t best = k;
                for (Py_ssize_t i = k + 1; i < seen; i++)
                    if (-total[order[i]] < -total[order[best]]) best = i;
                /* move the chosen one to place k, keeping the others' order */
                Py_ssize_t chosen = order[best];
                memmove(order + k + 1, order + k, (size_t)(best - k) * sizeof(Py_ssize_t));
                order[k] = chosen;
            }
            seen = keep;
        }
        PyObject *row_out = pairs(order, total, seen);
        if (row_out == NULL) {
            Py_DECREF(results);
            goto done;
        }
        PyList_SET_ITEM(results, r, row_out);
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

/* ASCII answered directly: the Unicode tables cost four lookups a character */
static inline int is_word(Py_UCS4 ch) {
    if (ch < 128) return ascii_alpha(ch) || (ch >= '0' && ch <= '9') || ch == '_';
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
        Py_ssize_t words = 0;
        int in_word = 0;
        for (; i < n; i++) {
            Py_UCS4 ch = PyUnicode_READ(kind, data, i);
            if (ch == '\n') break;
            int w = is_word(ch);
            words += w && !in_word;
            in_word = w;
        }
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

/* line_stats(texts) -> per text (lowered words, cjk, digits, alpha words,
 * alpha words starting upper-case, all alpha words upper-case) */
static PyObject *line_stats(PyObject *self, PyObject *texts) {
    PyObject *seq = PySequence_Fast(texts, "line_stats needs a sequence of str");
    if (seq == NULL) return NULL;
    Py_ssize_t count = PySequence_Fast_GET_SIZE(seq);
    PyObject *out = PyList_New(count);
    if (out == NULL) goto fail;
    for (Py_ssize_t t = 0; t < count; t++) {
        PyObject *text = PySequence_Fast_GET_ITEM(seq, t);
        Chars c;
        if (chars_of(text, &c) < 0) goto fail;
        PyObject *words = PyList_New(0);
        if (words == NULL) goto fail;
        Py_ssize_t cjk = 0, digits = 0, alpha = 0, upper_first = 0;
        int all_upper = 1;
        Py_ssize_t i = 0;
        while (i < c.n) {
            Py_UCS4 ch = PyUnicode_READ(c.kind, c.data, i);
            cjk += is_cjk(ch);
            digits += ch < 128 ? (ch >= '0' && ch <= '9') : Py_UNICODE_ISDIGIT(ch);
            if (!is_word(ch)) {
                i++;
                continue;
            }
            Py_ssize_t start = i++;
            for (; i < c.n; i++) {
                Py_UCS4 next = PyUnicode_READ(c.kind, c.data, i);
                if (!is_word(next)) break;
                cjk += is_cjk(next);
                digits += next < 128 ? (next >= '0' && next <= '9') : Py_UNICODE_ISDIGIT(next);
            }
            if (i - start > 3 && Py_UNICODE_ISALPHA(ch)) {
                alpha++;
                upper_first += Py_UNICODE_ISUPPER(ch) != 0;
                if (all_upper && !word_isupper(c.kind, c.data, start, i)) all_upper = 0;
            }
            PyObject *word = word_lower(text, c.kind, c.data, start, i);
            if (word == NULL || PyList_Append(words, word) < 0) {
                Py_XDECREF(word);
                Py_DECREF(words);
                goto fail;
            }
            Py_DECREF(word);
        }
        PyObject *row = Py_BuildValue("(Nnnnnn)", words, cjk, digits, alpha, upper_first, (Py_ssize_t)all_upper);
        if (row == NULL) goto fail;
        PyList_SET_ITEM(out, t, row);
    }
    Py_DECREF(seq);
    return out;
fail:
    Py_XDECREF(out);
    Py_DECREF(seq);
    return NULL;
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

/* hyphen_splits(text) -> [(start, hyphen, after_break, end), ...]: per
 * match of _SPLIT.finditer(text), m.start(), m.start(2), m.end(3), m.end() */
static PyObject *hyphen_splits(PyObject *self, PyObject *text) {
    Chars c;
    if (chars_of(text, &c) < 0) return NULL;
    int kind = c.kind;
    const void *data = c.data;
    Py_ssize_t n = c.n;
    PyObject *out = PyList_New(0);
    if (out == NULL) return NULL;
    Py_ssize_t s = 0;
    while (s < n) {
        if (!is_letter(PyUnicode_READ(kind, data, s))) {
            s++;
            continue;
        }
        /* s starts a run of letters (or sits inside one, after a match's end) */
        Py_ssize_t left_end = s;
        while (left_end < n && is_letter(PyUnicode_READ(kind, data, left_end))) left_end++;
        Py_ssize_t next = left_end; /* where the search goes on if no match starts at s */
        int behind_ok = 1;
        if (s > 0) {
            Py_UCS4 before = PyUnicode_READ(kind, data, s - 1);
            behind_ok = !(is_word(before) || before == '-' || before == '@' || before == '/' || before == '.');
        }
        if (behind_ok && left_end - s <= 40 && left_end < n) {
            Py_UCS4 hyphen = PyUnicode_READ(kind, data, left_end);
            if (hyphen == '-' || hyphen == 0x2010) {
                Py_ssize_t right = left_end + 1;
                if (right < n && PyUnicode_READ(kind, data, right) == '\n') right++;
                Py_ssize_t end = right;
                while (end < n && end - right < 41 && is_letter(PyUnicode_READ(kind, data, end))) end++;
                int ahead_ok = 1;
                if (end < n) {
                    Py_UCS4 after = PyUnicode_READ(kind, data, end);
                    ahead_ok = !(is_word(after) || after == '-' || after == '@' || after == '/');
                }
                if (end > right && end - right <= 40 && ahead_ok) {
                    PyObject *match = Py_BuildValue("(nnnn)", s, left_end, right, end);
                    if (match == NULL || PyList_Append(out, match) < 0) {
                        Py_XDECREF(match);
                        Py_DECREF(out);
                        return NULL;
                    }
                    Py_DECREF(match);
                    next = end;
                }
            }
        }
        s = next;
    }
    return out;
}

static PyMethodDef methods[] = {
    {"line_stats", line_stats, METH_O, "What the line model reads of each line's characters."},
    {"hyphen_splits", hyphen_splits, METH_O, "The matches of dehyphenate._SPLIT, as offsets."},
    {"count_words", count_words, METH_O, "len(re.findall(r'\\w+', text))"},
    {"scan_lines", scan_lines, METH_VARARGS, "The non-empty lines of a text, with their word counts."},
    {"forest_scores", forest_scores, METH_VARARGS, "Each row's score (log-odds), summed in explain's order."},
    {"forest_contributions", forest_contributions, METH_VARARGS,
     "A row's contribution per feature, in explain's order of first use."},
    {"forest_top", forest_top, METH_VARARGS, "Per row, its k largest contributions, in explain's ranking."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "seedclean.normalize._native", NULL, -1, methods};

PyMODINIT_FUNC PyInit__native(void) { return PyModule_Create(&module); }
