/*
 * Model-based random test of the PST writer.
 *
 * A seeded generator applies random operations (folders, messages with
 * recipients, attachments and embedded messages, property changes,
 * deletes, moves, named properties) to the engine and to an in-memory
 * model of what the store must hold, in transactions of random size, some
 * aborted on purpose.  After every commit and abort, and after reopening
 * the file read-only and for writing, the engine's whole state is compared
 * with the model and the strict checker must have nothing to report.
 * The faults unit replays one transaction of such a run with the k-th
 * read, write, flush or allocation failing, for a sweep of k.
 *
 * Environment: PST_MODEL_SEED=N replays a run (every failure message
 * names its seed; without it the seed comes from the clock), PST_MODEL_TXNS=N
 * sets the number of transactions of the random unit (200), PST_MODEL_DIR
 * the directory of the store (/dev/shm when there is one, else TMPDIR).
 */
#define _XOPEN_SOURCE 700
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "enginetest.h"
#include "pst.h"
#include "testutil.h"

#define PR_IMPORTANCE             0x00170003
#define PR_MESSAGE_CLASS_W        0x001a001f
#define PR_SENSITIVITY            0x00360003
#define PR_SUBJECT_W              0x0037001f
#define PR_CLIENT_SUBMIT_TIME     0x00390040
#define PR_SENT_REPRESENTING_NAME_W 0x0042001f
#define PR_MESSAGE_TO_ME          0x0057000b
#define PR_MESSAGE_CC_ME          0x0058000b
#define PR_CONVERSATION_TOPIC_W   0x0070001f
#define PR_CONVERSATION_INDEX     0x00710102
#define PR_TRANSPORT_HEADERS_W    0x007d001f
#define PR_SENDER_NAME_W          0x0c1a001f
#define PR_RECIPIENT_TYPE         0x0c150003
#define PR_DISPLAY_CC_W           0x0e03001f
#define PR_DISPLAY_TO_W           0x0e04001f
#define PR_MESSAGE_DELIVERY_TIME  0x0e060040
#define PR_MESSAGE_FLAGS          0x0e070003
#define PR_MESSAGE_SIZE           0x0e080003
#define PR_RESPONSIBILITY         0x0e0f000b
#define PR_MSG_STATUS             0x0e170003
#define PR_HASATTACH              0x0e1b000b
#define PR_ATTACH_SIZE            0x0e200003
#define PR_ATTACH_NUM             0x0e210003
#define PR_ENTRYID                0x0fff0102
#define PR_BODY_W                 0x1000001f
#define PR_RTF_COMPRESSED         0x10090102
#define PR_INTERNET_MESSAGE_ID_W  0x1035001f
#define PR_ITEM_TEMPORARY_FLAGS   0x10970003
#define PR_DISPLAY_NAME_W         0x3001001f
#define PR_ADDRTYPE_W             0x3002001f
#define PR_EMAIL_ADDRESS_W        0x3003001f
#define PR_COMMENT_W              0x3004001f
#define PR_LAST_MODIFICATION_TIME 0x30080040
#define PR_SEARCH_KEY             0x300b0102
#define PR_CONTENT_COUNT          0x36020003
#define PR_CONTENT_UNREAD         0x36030003
#define PR_SUBFOLDERS             0x360a000b
#define PR_CONTAINER_CLASS_W      0x3613001f
#define PR_ASSOC_CONTENT_COUNT    0x36170003
#define PR_ATTACH_FILENAME_W      0x3704001f
#define PR_ATTACH_METHOD          0x37050003
#define PR_ATTACH_LONG_FILENAME_W 0x3707001f
#define PR_RENDERING_POSITION     0x370b0003
#define PR_ATTACH_MIME_TAG_W      0x370e001f
#define MSGFLAG_READ              0x1
#define MSGFLAG_HASATTACH         0x10

#define NID_IPM_SUBTREE           0x8022
#define NID_SEARCH_ROOT           0x8042
#define NID_DELETED_ITEMS         0x8062
#define NID_COMMON_VIEWS          0x8082

#define MAX_PROPS 96
#define MAX_MV    12

/* --------------------------------------------------------- generators -- */

/* splitmix64 */
static uint64_t mix(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Allocations of the model: immutable once built, freed at the end. */
static void **arena;
static size_t arena_count, arena_cap;
/* Buffers of one engine call. */
static void **tmps;
static size_t tmp_count, tmp_cap;

static void *push_alloc(void ***list, size_t *count, size_t *cap, size_t size)
{
    void *p = calloc(1, size ? size : 1);

    if (!p) abort();
    if (*count == *cap)
    {
        *cap = *cap ? *cap * 2 : 1024;
        if (!(*list = realloc(*list, *cap * sizeof(**list)))) abort();
    }
    (*list)[(*count)++] = p;
    return p;
}

static void *arena_alloc(size_t size)
{
    return push_alloc(&arena, &arena_count, &arena_cap, size);
}

static void *tmp_alloc(size_t size)
{
    return push_alloc(&tmps, &tmp_count, &tmp_cap, size);
}

static void tmp_free(void)
{
    while (tmp_count) free(tmps[--tmp_count]);
}

static void arena_free(void)
{
    tmp_free();
    free(tmps);
    tmps = NULL;
    tmp_cap = 0;
    while (arena_count) free(arena[--arena_count]);
    free(arena);
    arena = NULL;
    arena_cap = 0;
}

static unsigned int fixed_size(uint16_t type)
{
    switch (type)
    {
    case PST_PT_I2: return 2;
    case PST_PT_LONG: case PST_PT_R4: case PST_PT_ERROR: return 4;
    case PST_PT_BOOLEAN: return 1;
    case PST_PT_DOUBLE: case PST_PT_CURRENCY: case PST_PT_APPTIME: case PST_PT_I8: case PST_PT_SYSTIME: return 8;
    }
    return 0;
}

/* A model value.  Fixed types: seed holds the value's bits.  Others: the
 * bytes are lit (size bytes) or generated from seed: size bytes, or for
 * multi-valued strings and binaries aux elements (size is then the size of
 * the whole encoding). */
struct mval
{
    uint32_t tag;
    uint32_t size;
    uint32_t aux;
    uint64_t seed;
    const uint8_t *lit;
};

static void gen_fill(uint16_t type, uint64_t seed, uint8_t *out, size_t n)
{
    uint64_t s = seed, x;
    size_t i;

    if (type == PST_PT_UNICODE)
    {
        for (i = 0; i + 1 < n; i += 2)
        {
            uint16_t c;

            x = mix(&s);
            c = (x & 15) ? (uint16_t)(0x20 + (x >> 8) % 95) : (uint16_t)(0x100 + (x >> 8) % 0x1f00);
            out[i] = (uint8_t)c;
            out[i + 1] = (uint8_t)(c >> 8);
        }
    }
    else if (type == PST_PT_STRING8)
    {
        for (i = 0; i < n; i++) out[i] = (uint8_t)(0x20 + mix(&s) % 95);
    }
    else
    {
        for (i = 0; i < n; i += 8)
        {
            size_t k;

            x = mix(&s);
            for (k = 0; k < 8 && i + k < n; k++) out[i + k] = (uint8_t)(x >> (8 * k));
        }
    }
}

/* Bytes of a non-fixed value into out (may be NULL); returns their count. */
static size_t gen_bytes(const struct mval *m, uint8_t *out)
{
    uint16_t type = PST_PROP_TYPE(m->tag), base = type & ~PST_MV_FLAG;

    if (m->lit)
    {
        if (out && m->size) memcpy(out, m->lit, m->size);
        return m->size;
    }
    if ((type & PST_MV_FLAG) && !fixed_size(base))
    {
        uint64_t ls = m->seed ^ 0x5bd1e9955bd1e995ull;
        uint32_t k, len[MAX_MV];
        size_t pos = 4 + 4 * (size_t)m->aux;

        for (k = 0; k < m->aux; k++) len[k] = (uint32_t)(mix(&ls) % 24) * (base == PST_PT_UNICODE ? 2 : 1);
        if (out)
        {
            out[0] = (uint8_t)m->aux;
            out[1] = out[2] = out[3] = 0;
        }
        for (k = 0; k < m->aux; k++)
        {
            if (out)
            {
                out[4 + 4 * k] = (uint8_t)pos;
                out[5 + 4 * k] = (uint8_t)(pos >> 8);
                out[6 + 4 * k] = out[7 + 4 * k] = 0;
                gen_fill(base, m->seed + k, out + pos, len[k]);
            }
            pos += len[k];
        }
        return pos;
    }
    if (out) gen_fill(type, m->seed, out, m->size);
    return m->size;
}

/* Bits of an engine value of a fixed type, as the model keeps them. */
static uint64_t value_bits(const struct pst_value *v)
{
    uint16_t type = PST_PROP_TYPE(v->tag);
    uint32_t u32;
    uint64_t u64;

    switch (fixed_size(type))
    {
    case 1: return v->u.boolean ? 1 : 0;
    case 2: return (uint16_t)v->u.i2;
    case 4:
        if (type == PST_PT_R4)
        {
            memcpy(&u32, &v->u.r4, 4);
            return u32;
        }
        return (uint32_t)v->u.l;
    case 8:
        if (type == PST_PT_DOUBLE || type == PST_PT_APPTIME)
        {
            memcpy(&u64, &v->u.dbl, 8);
            return u64;
        }
        return (uint64_t)v->u.i8;
    }
    return 0;
}

static uint8_t *scratch;
static size_t scratch_size;

static int val_equal(const struct mval *m, const struct pst_value *v)
{
    uint16_t type = PST_PROP_TYPE(m->tag);
    size_t n;

    if (v->tag != m->tag) return 0;
    if (fixed_size(type)) return value_bits(v) == m->seed;
    n = gen_bytes(m, NULL);
    if (n != v->size) return 0;
    if (!n) return 1;
    if (!v->bytes) return 0;
    if (n > scratch_size)
    {
        free(scratch);
        if (!(scratch = malloc(n))) abort();
        scratch_size = n;
    }
    gen_bytes(m, scratch);
    return !memcmp(scratch, v->bytes, n);
}

/* The engine form of a model value (buffers live until tmp_free). */
static void to_value(const struct mval *m, struct pst_value *v)
{
    uint16_t type = PST_PROP_TYPE(m->tag);
    uint32_t u32 = (uint32_t)m->seed;
    uint64_t u64 = m->seed;

    memset(v, 0, sizeof(*v));
    v->tag = m->tag;
    v->type = type;
    switch (fixed_size(type))
    {
    case 1: v->u.boolean = m->seed ? 1 : 0; break;
    case 2: v->u.i2 = (int16_t)(uint16_t)m->seed; break;
    case 4:
        if (type == PST_PT_R4) memcpy(&v->u.r4, &u32, 4);
        else v->u.l = (int32_t)u32;
        break;
    case 8:
        if (type == PST_PT_DOUBLE || type == PST_PT_APPTIME) memcpy(&v->u.dbl, &u64, 8);
        else v->u.i8 = (int64_t)u64;
        break;
    default:
    {
        size_t n = gen_bytes(m, NULL);
        uint8_t *buf = tmp_alloc(n);

        gen_bytes(m, buf);
        v->bytes = buf;
        v->size = n;
    }
    }
}

/* A model value from an engine value (the store as pst_create made it). */
static struct mval from_value(const struct pst_value *v)
{
    struct mval m;

    memset(&m, 0, sizeof(m));
    m.tag = v->tag;
    if (fixed_size(PST_PROP_TYPE(v->tag))) m.seed = value_bits(v);
    else
    {
        uint8_t *lit = arena_alloc(v->size);

        if (v->size) memcpy(lit, v->bytes, v->size);
        m.lit = lit;
        m.size = (uint32_t)v->size;
    }
    return m;
}

/* An engine value of tag: zero, or two bytes of text. */
static struct pst_value dummy_value(uint32_t tag)
{
    static const uint8_t text[2] = {'x', 0};
    struct pst_value v;

    memset(&v, 0, sizeof(v));
    v.tag = tag;
    v.type = PST_PROP_TYPE(tag);
    if (v.type == PST_PT_UNICODE)
    {
        v.bytes = text;
        v.size = 2;
    }
    return v;
}

static struct mval fixed_val(uint32_t tag, uint64_t bits)
{
    struct mval m;

    memset(&m, 0, sizeof(m));
    m.tag = tag;
    m.seed = bits;
    return m;
}

/* Property lists: sorted by property id, one value per id, immutable. */
struct mprops
{
    uint32_t count;
    const struct mval *v;
};

struct pbuild
{
    uint32_t count;
    struct mval v[MAX_PROPS];
};

static int pb_index(const struct pbuild *b, uint16_t id, int *found)
{
    uint32_t i;

    for (i = 0; i < b->count; i++)
    {
        if (PST_PROP_ID(b->v[i].tag) == id)
        {
            *found = 1;
            return i;
        }
        if (PST_PROP_ID(b->v[i].tag) > id) break;
    }
    *found = 0;
    return i;
}

static void pb_set(struct pbuild *b, const struct mval *m)
{
    int found, i = pb_index(b, PST_PROP_ID(m->tag), &found);

    if (!found)
    {
        if (b->count == MAX_PROPS) abort();
        memmove(b->v + i + 1, b->v + i, (b->count - i) * sizeof(b->v[0]));
        b->count++;
    }
    b->v[i] = *m;
}

static void pb_remove(struct pbuild *b, uint32_t tag)
{
    int found, i = pb_index(b, PST_PROP_ID(tag), &found);

    if (!found) return;
    memmove(b->v + i, b->v + i + 1, (b->count - i - 1) * sizeof(b->v[0]));
    b->count--;
}

static const struct mval *pb_find(const struct pbuild *b, uint32_t tag)
{
    int found, i = pb_index(b, PST_PROP_ID(tag), &found);

    return found && b->v[i].tag == tag ? &b->v[i] : NULL;
}

static void pb_load(struct pbuild *b, const struct mprops *p)
{
    b->count = p->count;
    memcpy(b->v, p->v, p->count * sizeof(b->v[0]));
}

static struct mprops pb_freeze(const struct pbuild *b)
{
    struct mprops p;
    struct mval *v = arena_alloc(b->count * sizeof(*v));

    memcpy(v, b->v, b->count * sizeof(*v));
    p.v = v;
    p.count = b->count;
    return p;
}

static const struct mval *props_find(const struct mval *v, uint32_t count, uint32_t tag)
{
    uint32_t i;

    for (i = 0; i < count; i++)
        if (v[i].tag == tag) return &v[i];
    return NULL;
}

static void to_propset(const struct mval *v, uint32_t count, struct pst_propset *set)
{
    struct pst_value *vals = tmp_alloc(count * sizeof(*vals));
    uint32_t i;

    for (i = 0; i < count; i++) to_value(&v[i], &vals[i]);
    set->props = vals;
    set->count = count;
}

/* ---------------------------------------------------------------- model -- */

struct mmsgc;

struct matt
{
    struct mprops props;
    const struct mmsgc *embedded;
};

/* Message content (immutable). */
struct mmsgc
{
    struct mprops props;
    uint32_t nrecip;
    const struct mprops *recips;
    uint32_t natt;
    const struct matt *atts;
};

#define F_FIXED  0x1    /* made by pst_create: the test never deletes or moves it */
#define F_IPM    0x2    /* in the IPM subtree: holds messages and new folders */
#define F_ACOUNT 0x4    /* has PR_ASSOC_CONTENT_COUNT */

struct mfolder
{
    uint32_t nid, parent;
    unsigned int flags;
    struct mprops props;     /* without the counts and PR_SUBFOLDERS */
};

struct mmsg
{
    uint32_t nid, folder;
    const struct mmsgc *c;
};

struct mname
{
    struct pst_name name;
    uint16_t id;
};

struct model
{
    struct mfolder *f;
    uint32_t nf;
    struct mmsg *m;
    uint32_t nm;
    struct mname *n;
    uint32_t nn;
    uint32_t map_count;
};

static void *dup_array(const void *src, size_t size)
{
    void *p = malloc(size ? size : 1);

    if (!p) abort();
    if (size) memcpy(p, src, size);
    return p;
}

static void model_free(struct model *m)
{
    free(m->f);
    free(m->m);
    free(m->n);
    memset(m, 0, sizeof(*m));
}

static void model_copy(struct model *dst, const struct model *src)
{
    model_free(dst);
    *dst = *src;
    dst->f = dup_array(src->f, src->nf * sizeof(*src->f));
    dst->m = dup_array(src->m, src->nm * sizeof(*src->m));
    dst->n = dup_array(src->n, src->nn * sizeof(*src->n));
}

static int find_folder(const struct model *m, uint32_t nid)
{
    uint32_t i;

    for (i = 0; i < m->nf; i++)
        if (m->f[i].nid == nid) return i;
    return -1;
}

static int find_msg(const struct model *m, uint32_t nid)
{
    uint32_t i;

    for (i = 0; i < m->nm; i++)
        if (m->m[i].nid == nid) return i;
    return -1;
}

static void add_folder(struct model *m, const struct mfolder *f)
{
    if (!(m->f = realloc(m->f, (m->nf + 1) * sizeof(*m->f)))) abort();
    m->f[m->nf++] = *f;
}

static void add_msg(struct model *m, const struct mmsg *msg)
{
    if (!(m->m = realloc(m->m, (m->nm + 1) * sizeof(*m->m)))) abort();
    m->m[m->nm++] = *msg;
}

/* Whether folder nid is root or below it. */
static int in_subtree(const struct model *m, uint32_t root, uint32_t nid)
{
    int depth, i;

    for (depth = 0; depth < 200; depth++)
    {
        if (nid == root) return 1;
        if ((i = find_folder(m, nid)) < 0 || m->f[i].parent == nid) return 0;
        nid = m->f[i].parent;
    }
    return 0;
}

static int is_unread(const struct mmsgc *c)
{
    const struct mval *f = props_find(c->props.v, c->props.count, PR_MESSAGE_FLAGS);

    return f && !(f->seed & MSGFLAG_READ);
}

/* ------------------------------------------------------------------ run -- */

struct run
{
    uint64_t seed;
    uint64_t rng;
    const char *path;
    struct pst_io *io;
    struct pst_file *f;
    struct model cur, base;       /* working state, last committed state */
    unsigned int txn, op;
    unsigned int reported;        /* failures printed */
    int dead;                     /* a failure stopped the run */
    int quiet;                    /* count mismatches, report nothing */
    unsigned int mismatches;
    struct pst_fault *fault;      /* fault mode: the fault being injected */
    char where[96];               /* added to failure messages */
    unsigned int abort_reads[2], abort_allocs[2];  /* fault counters around the last pst_abort */
    int small;                    /* values up to 64 KiB; 2 or more: also few recipients, attachments */
    int bulk;                     /* phase: many messages, most in one folder */
    uint32_t hot;                 /* that folder */
    unsigned int initial_names;   /* name map entries of the new store */
    /* statistics */
    unsigned int ops[16], commits, aborts, reopens, refused, compares, max_rows;
    uint64_t live, peak_live, txn_bytes, peak_txn;
    uint64_t bytes_written;
};

static struct run *g_run;

#if defined(__GNUC__)
static int model_ok(int line, int cond, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#endif

/* ok() naming the seed, transaction and operation; quiet runs only count. */
static int model_ok(int line, int cond, const char *fmt, ...)
{
    struct run *r = g_run;
    char buf[1024];
    va_list args;

    if (cond) return winetest_ok(__FILE__, line, 1, "%s", "");
    if (r->quiet)
    {
        r->mismatches++;
        return 0;
    }
    if (r->reported++ >= 25)
    {
        winetest_failures++;
        return 0;
    }
    va_start(args, fmt);
    vsnprintf(buf, sizeof(buf), fmt, args);
    va_end(args);
    return winetest_ok(__FILE__, line, 0, "seed %llu (PST_MODEL_SEED replays it), txn %u, op %u%s: %s",
                       (unsigned long long)r->seed, r->txn, r->op, r->where, buf);
}

#define mok(cond, ...) model_ok(__LINE__, !!(cond), __VA_ARGS__)

static uint64_t rnd(struct run *r)
{
    return mix(&r->rng);
}

static uint32_t rn(struct run *r, uint32_t n)
{
    return n ? (uint32_t)(rnd(r) % n) : 0;
}

static int chance(struct run *r, unsigned int percent)
{
    return rn(r, 100) < percent;
}

static int fault_hit(const struct run *r)
{
    const struct pst_fault *f = r->fault;

    return f && ((f->fail_read && f->reads >= f->fail_read) || (f->fail_write && f->writes >= f->fail_write)
                 || (f->fail_flush && f->flushes >= f->fail_flush) || (f->fail_alloc && f->allocs >= f->fail_alloc));
}

/* Checks an engine call: 1 when it returned expect and the run goes on.
 * With an injected fault that has fired, any error just ends the
 * transaction. */
static int call_ok(struct run *r, int ret, int expect, const char *what)
{
    if (ret == expect) return 1;
    if (ret && fault_hit(r)) return 0;
    mok(0, "%s returned %d (%s), expected %d (%s)\n", what, ret, pst_strerror(ret), expect, pst_strerror(expect));
    r->dead = 1;
    return 0;
}

/* ----------------------------------------------------- random contents -- */

static uint32_t rand_str_chars(struct run *r)
{
    uint32_t p = rn(r, 1000);

    if (p < 550) return rn(r, 40);
    if (p < 800) return 40 + rn(r, 600);
    if (p < 890) return 1760 + rn(r, 60);       /* around the 3,580-byte heap item limit */
    if (p < 970 || r->small) return 4000 + rn(r, 8000);     /* 8 to 24 KiB */
    return 12000 + rn(r, 40000);
}

static uint32_t rand_bin_size(struct run *r)
{
    uint32_t p = rn(r, 1000);

    if (p < 450 || (r->small && p >= 900)) return rn(r, 64);
    if (p < 700) return rn(r, 3000);
    if (p < 800) return 3560 + rn(r, 40);
    if (p < 900) return 8150 + rn(r, 60);       /* around one data block */
    if (p < 980) return rn(r, 100000);
    return 100000 + rn(r, 300000);
}

static uint32_t rand_att_size(struct run *r)
{
    uint32_t p = rn(r, 1000);

    if (p < 80) return 0;
    if (p < 400) return rn(r, 2000);
    if (p < 500) return 3570 + rn(r, 20);
    if (p < 650) return 8170 + rn(r, 12) + (rn(r, 2) ? 8176 : 0);
    if (p < 960 || r->small) return rn(r, 60000);
    if (p < 994) return 100000 + rn(r, 300000);
    return (1u << 20) + rn(r, 1u << 20);        /* up to 2 MiB */
}

static struct mval rand_val(struct run *r, uint32_t tag)
{
    uint16_t type = PST_PROP_TYPE(tag);
    struct mval m;

    memset(&m, 0, sizeof(m));
    m.tag = tag;
    m.seed = rnd(r);
    switch (type)
    {
    case PST_PT_I2: m.seed &= 0xffff; break;
    case PST_PT_LONG: case PST_PT_ERROR: m.seed &= 0xffffffff; break;
    case PST_PT_BOOLEAN: m.seed &= 1; break;
    case PST_PT_R4:
    {
        float fl = (float)(int32_t)(m.seed & 0xfffff) / 7.0f;
        uint32_t bits;

        memcpy(&bits, &fl, 4);
        m.seed = bits;
        break;
    }
    case PST_PT_DOUBLE: case PST_PT_APPTIME:
    {
        double d = (double)(int64_t)(m.seed >> 20) / 13.0;

        memcpy(&m.seed, &d, 8);
        break;
    }
    case PST_PT_SYSTIME: m.seed = 116444736000000000ull + (m.seed % 2000000000ull) * 10000000ull; break;
    case PST_PT_CURRENCY: case PST_PT_I8: break;
    case PST_PT_UNICODE: m.size = 2 * rand_str_chars(r); break;
    case PST_PT_STRING8: m.size = rand_str_chars(r); break;
    case PST_PT_BINARY: m.size = rand_bin_size(r); break;
    case PST_PT_CLSID: m.size = 16; break;
    case PST_MV_FLAG | PST_PT_LONG: m.size = 4 * rn(r, 12); break;
    case PST_MV_FLAG | PST_PT_SYSTIME: case PST_MV_FLAG | PST_PT_I8: m.size = 8 * rn(r, 8); break;
    case PST_MV_FLAG | PST_PT_UNICODE: case PST_MV_FLAG | PST_PT_BINARY: case PST_MV_FLAG | PST_PT_STRING8:
        m.aux = rn(r, MAX_MV);
        m.size = (uint32_t)gen_bytes(&m, NULL);
        break;
    default: abort();
    }
    return m;
}

static struct mval short_string(struct run *r, uint32_t tag, uint32_t max_chars)
{
    struct mval m = rand_val(r, tag);

    m.size = 2 * (1 + rn(r, max_chars));
    return m;
}

/* Test-private properties 0x4000..0x400e, one type each. */
static const uint16_t custom_types[] =
{
    PST_PT_LONG, PST_PT_UNICODE, PST_PT_BINARY, PST_PT_I8, PST_PT_BOOLEAN, PST_PT_SYSTIME, PST_PT_DOUBLE, PST_PT_I2,
    PST_PT_STRING8, PST_PT_CLSID, PST_MV_FLAG | PST_PT_LONG, PST_MV_FLAG | PST_PT_UNICODE, PST_MV_FLAG | PST_PT_BINARY,
    PST_MV_FLAG | PST_PT_SYSTIME, PST_PT_CURRENCY, PST_PT_R4, PST_MV_FLAG | PST_PT_STRING8,
};

static uint32_t custom_tag(struct run *r)
{
    uint32_t i = rn(r, sizeof(custom_types) / sizeof(custom_types[0]));

    return PST_PROP_TAG(0x4000 + i, custom_types[i]);
}

static const uint16_t named_types[] =
{
    PST_PT_LONG, PST_PT_UNICODE, PST_PT_BINARY, PST_PT_BOOLEAN, PST_PT_SYSTIME, PST_MV_FLAG | PST_PT_UNICODE,
};

/* A named property id of the working model, or a custom tag. */
static uint32_t named_or_custom_tag(struct run *r)
{
    uint32_t n = r->cur.nn < 12 ? r->cur.nn : 12, id;

    if (!n) return custom_tag(r);
    id = r->cur.n[rn(r, n)].id;
    return PST_PROP_TAG(id, named_types[id % (sizeof(named_types) / sizeof(named_types[0]))]);
}

static const uint32_t msg_tags[] =
{
    PR_IMPORTANCE, PR_SENSITIVITY, PR_SUBJECT_W, PR_CLIENT_SUBMIT_TIME, PR_SENT_REPRESENTING_NAME_W, PR_MESSAGE_TO_ME,
    PR_MESSAGE_CC_ME, PR_CONVERSATION_TOPIC_W, PR_CONVERSATION_INDEX, PR_TRANSPORT_HEADERS_W, PR_SENDER_NAME_W,
    PR_DISPLAY_CC_W, PR_DISPLAY_TO_W, PR_MESSAGE_DELIVERY_TIME, PR_MSG_STATUS, PR_BODY_W, PR_RTF_COMPRESSED,
    PR_INTERNET_MESSAGE_ID_W, PR_ITEM_TEMPORARY_FLAGS, PR_LAST_MODIFICATION_TIME, PR_SEARCH_KEY, 0x0e330014,
    0x0e380003, 0x30130102, 0x65c60003, PR_MESSAGE_CLASS_W, PR_DISPLAY_NAME_W,
};

static uint32_t rand_flags(struct run *r)
{
    static const uint32_t flags[] = {0, 1, 1, 2, 3, 8, 9, 0x10, 0x11, 0x400};

    return flags[rn(r, sizeof(flags) / sizeof(flags[0]))];
}

static struct mval rand_msg_prop(struct run *r)
{
    uint32_t p = rn(r, 100);

    if (p < 8) return fixed_val(PR_MESSAGE_FLAGS, rand_flags(r));
    if (p < 70) return rand_val(r, msg_tags[rn(r, sizeof(msg_tags) / sizeof(msg_tags[0]))]);
    if (p < 85) return rand_val(r, custom_tag(r));
    return rand_val(r, named_or_custom_tag(r));
}

static const struct mmsgc *gen_content(struct run *r, int depth)
{
    struct mmsgc *c = arena_alloc(sizeof(*c));
    struct pbuild *b = malloc(sizeof(*b));
    struct mprops *recips;
    struct matt *atts;
    uint32_t i, n, p;

    if (!b) abort();
    b->count = 0;
    if (chance(r, 90))
    {
        struct mval m = short_string(r, PR_MESSAGE_CLASS_W, 20);

        pb_set(b, &m);
    }
    if (chance(r, 85))
    {
        struct mval m = rand_val(r, PR_SUBJECT_W);

        pb_set(b, &m);
    }
    if (chance(r, 70))
    {
        struct mval m = fixed_val(PR_MESSAGE_FLAGS, rand_flags(r));

        pb_set(b, &m);
    }
    if (chance(r, 5))
    {
        struct mval m = fixed_val(PR_MESSAGE_SIZE, 12345);   /* the engine's: ignored */

        pb_set(b, &m);
    }
    for (i = 0, n = rn(r, 10); i < n; i++)
    {
        struct mval m = rand_msg_prop(r);

        pb_set(b, &m);
    }
    c->props = pb_freeze(b);

    p = rn(r, 100);
    c->nrecip = p < 40 ? rn(r, 3) : p < 85 ? rn(r, 9) : rn(r, 51);
    if (depth || r->small > 1) c->nrecip = rn(r, 4);
    recips = arena_alloc(c->nrecip * sizeof(*recips));
    for (i = 0; i < c->nrecip; i++)
    {
        struct mval m;

        b->count = 0;
        m = fixed_val(PR_RECIPIENT_TYPE, 1 + rn(r, 3));
        pb_set(b, &m);
        m = short_string(r, PR_DISPLAY_NAME_W, 40);
        pb_set(b, &m);
        if (chance(r, 80))
        {
            m = short_string(r, PR_EMAIL_ADDRESS_W, 60);
            pb_set(b, &m);
        }
        if (chance(r, 80))
        {
            m = short_string(r, PR_ADDRTYPE_W, 6);
            pb_set(b, &m);
        }
        if (chance(r, 20))
        {
            m = rand_val(r, PR_ENTRYID);
            m.size = 24 + rn(r, 60);
            pb_set(b, &m);
        }
        if (chance(r, 10))
        {
            m = rand_val(r, PR_RESPONSIBILITY);
            pb_set(b, &m);
        }
        if (chance(r, 10))
        {
            m = rand_val(r, custom_tag(r));
            if (m.size > 4000) m.size = 4000 & ~1u;
            pb_set(b, &m);
        }
        recips[i] = pb_freeze(b);
    }
    c->recips = recips;

    p = rn(r, 100);
    c->natt = p < 50 ? 0 : p < 80 ? 1 : p < 95 ? 2 + rn(r, 2) : 4 + rn(r, 3);
    if (depth || r->small > 1) c->natt = rn(r, 2);
    atts = arena_alloc(c->natt * sizeof(*atts));
    for (i = 0; i < c->natt; i++)
    {
        struct mval m;

        b->count = 0;
        if (depth < 2 && chance(r, 7))
        {
            m = fixed_val(PR_ATTACH_METHOD, 5);
            pb_set(b, &m);
            m = short_string(r, PR_DISPLAY_NAME_W, 30);
            pb_set(b, &m);
            atts[i].embedded = gen_content(r, depth + 1);
        }
        else
        {
            m = fixed_val(PR_ATTACH_METHOD, 1);
            pb_set(b, &m);
            m = short_string(r, PR_ATTACH_FILENAME_W, 12);
            pb_set(b, &m);
            if (chance(r, 70))
            {
                m = short_string(r, PR_ATTACH_LONG_FILENAME_W, 100);
                pb_set(b, &m);
            }
            if (chance(r, 30))
            {
                m = short_string(r, PR_ATTACH_MIME_TAG_W, 30);
                pb_set(b, &m);
            }
            m = rand_val(r, PST_PR_ATTACH_DATA_BIN);
            m.size = rand_att_size(r);
            if (depth && m.size > 200000) m.size = 200000;
            pb_set(b, &m);
        }
        if (chance(r, 10))
        {
            m = fixed_val(PR_RENDERING_POSITION, rn(r, 1000));
            pb_set(b, &m);
        }
        if (chance(r, 10))
        {
            m = rand_val(r, custom_tag(r));
            pb_set(b, &m);
        }
        atts[i].props = pb_freeze(b);
    }
    c->atts = atts;
    free(b);
    return c;
}

/* What the engine stores for content given to pst_message_save. */
static const struct mmsgc *expected_content(const struct mmsgc *g)
{
    struct mmsgc *c = arena_alloc(sizeof(*c));
    struct pbuild *b = malloc(sizeof(*b));
    const struct mval *flags;
    struct matt *atts;
    struct mval m;
    uint32_t i;

    if (!b) abort();
    *c = *g;
    pb_load(b, &g->props);
    pb_remove(b, PR_MESSAGE_SIZE);
    flags = pb_find(b, PR_MESSAGE_FLAGS);
    if (flags || g->natt)
    {
        uint64_t v = flags ? flags->seed : 0;

        v = g->natt ? v | MSGFLAG_HASATTACH : v & ~(uint64_t)MSGFLAG_HASATTACH;
        m = fixed_val(PR_MESSAGE_FLAGS, v);
        pb_set(b, &m);
    }
    m = fixed_val(PR_HASATTACH, g->natt > 0);
    pb_set(b, &m);
    c->props = pb_freeze(b);
    atts = arena_alloc(g->natt * sizeof(*atts));
    for (i = 0; i < g->natt; i++)
    {
        pb_load(b, &g->atts[i].props);
        m = fixed_val(PR_ATTACH_NUM, i);
        pb_set(b, &m);
        if (!pb_find(b, PR_RENDERING_POSITION))
        {
            m = fixed_val(PR_RENDERING_POSITION, 0xffffffff);
            pb_set(b, &m);
        }
        atts[i].props = pb_freeze(b);
        atts[i].embedded = g->atts[i].embedded ? expected_content(g->atts[i].embedded) : NULL;
    }
    c->atts = atts;
    free(b);
    return c;
}

static void to_message_data(const struct mmsgc *c, struct pst_message_data *d)
{
    struct pst_propset *recips = tmp_alloc(c->nrecip * sizeof(*recips));
    struct pst_attachment_data *atts = tmp_alloc(c->natt * sizeof(*atts));
    uint32_t i;

    memset(d, 0, sizeof(*d));
    to_propset(c->props.v, c->props.count, &d->props);
    for (i = 0; i < c->nrecip; i++) to_propset(c->recips[i].v, c->recips[i].count, &recips[i]);
    for (i = 0; i < c->natt; i++)
    {
        to_propset(c->atts[i].props.v, c->atts[i].props.count, &atts[i].props);
        if (c->atts[i].embedded)
        {
            struct pst_message_data *e = tmp_alloc(sizeof(*e));

            to_message_data(c->atts[i].embedded, e);
            atts[i].embedded = e;
        }
    }
    d->recipients = recips;
    d->recipient_count = c->nrecip;
    d->attachments = atts;
    d->attachment_count = c->natt;
}

static uint64_t props_bytes(const struct mprops *p)
{
    uint64_t n = 0;
    uint32_t i;

    for (i = 0; i < p->count; i++)
    {
        unsigned int fs = fixed_size(PST_PROP_TYPE(p->v[i].tag));

        n += fs ? fs : gen_bytes(&p->v[i], NULL);
    }
    return n;
}

/* Value bytes of a message with everything below it. */
static uint64_t content_bytes(const struct mmsgc *c, uint64_t *objects)
{
    uint64_t n = props_bytes(&c->props);
    uint32_t i;

    *objects += 1 + c->props.count / 8;
    for (i = 0; i < c->nrecip; i++) n += props_bytes(&c->recips[i]);
    *objects += c->nrecip / 4;
    for (i = 0; i < c->natt; i++)
    {
        n += props_bytes(&c->atts[i].props);
        *objects += 2;
        if (c->atts[i].embedded) n += content_bytes(c->atts[i].embedded, objects);
    }
    return n;
}

/* ----------------------------------------------------------- comparing -- */

static int in_list(const uint32_t *list, unsigned int count, uint32_t tag)
{
    unsigned int i;

    for (i = 0; i < count; i++)
        if (list[i] == tag) return 1;
    return 0;
}

/* An object's properties against exp (tags in skip are checked elsewhere). */
static void cmp_pc(struct pst_object *obj, const struct mval *exp, uint32_t nexp, const uint32_t *skip,
                   unsigned int nskip, const char *what, uint32_t nid)
{
    uint32_t i, n = pst_prop_count(obj), matched = 0, want = 0;
    struct pst_value v;
    int ret;

    for (i = 0; i < n; i++)
    {
        const struct mval *m;

        ret = pst_prop_get_at(obj, i, &v);
        if (!mok(!ret, "%s %#x: property %u: %s\n", what, nid, i, pst_strerror(ret))) continue;
        if (in_list(skip, nskip, v.tag)) continue;
        m = props_find(exp, nexp, v.tag);
        if (!mok(m != NULL, "%s %#x: unexpected property %#x (%zu bytes)\n", what, nid, v.tag, v.size)) continue;
        matched++;
        if (fixed_size(PST_PROP_TYPE(v.tag)))
            mok(val_equal(m, &v), "%s %#x: property %#x is %#llx, expected %#llx\n", what, nid, v.tag,
                (unsigned long long)value_bits(&v), (unsigned long long)m->seed);
        else
            mok(val_equal(m, &v), "%s %#x: property %#x differs (%zu bytes, expected %zu)\n", what, nid, v.tag,
                v.size, gen_bytes(m, NULL));
    }
    for (i = 0; i < nexp; i++)
        if (!in_list(skip, nskip, exp[i].tag)) want++;
    if (!mok(matched == want, "%s %#x: %u of %u properties\n", what, nid, matched, want))
    {
        for (i = 0; i < nexp; i++)
            mok(in_list(skip, nskip, exp[i].tag) || pst_prop_get(obj, exp[i].tag, &v) != PST_E_NOT_FOUND,
                "%s %#x: property %#x is missing\n", what, nid, exp[i].tag);
    }
}

/* A table row against exp; all_columns: every expected value is a column. */
static void cmp_row(struct pst_table *t, uint32_t row, const struct mval *exp, uint32_t nexp, int all_columns,
                    const char *what, uint32_t id)
{
    uint32_t c, ncols = pst_table_column_count(t), matched = 0;
    struct pst_column col;
    struct pst_value v;
    int ret;

    for (c = 0; c < ncols; c++)
    {
        const struct mval *m;

        if (pst_table_column(t, c, &col)) continue;
        if (col.tag == PST_PR_LTP_ROW_ID || col.tag == PST_PR_LTP_ROW_VER) continue;
        m = props_find(exp, nexp, col.tag);
        ret = pst_table_get_cell(t, row, col.tag, &v);
        if (m)
        {
            matched++;
            if (mok(!ret, "%s row %#x: cell %#x: %s\n", what, id, col.tag, pst_strerror(ret)))
                mok(val_equal(m, &v), "%s row %#x: cell %#x differs (%zu bytes)\n", what, id, col.tag, v.size);
        }
        else mok(ret == PST_E_NOT_FOUND, "%s row %#x: cell %#x should not exist (%d)\n", what, id, col.tag, ret);
    }
    if (all_columns) mok(matched == nexp, "%s row %#x: %u of %u values are columns\n", what, id, matched, nexp);
}

struct census
{
    uint32_t *nid, *parent;
    uint32_t count, cap;
};

static int census_cb(void *ctx, const struct pst_node_info *info)
{
    struct census *c = ctx;

    if (c->count == c->cap)
    {
        c->cap = c->cap ? c->cap * 2 : 1024;
        if (!(c->nid = realloc(c->nid, c->cap * sizeof(*c->nid)))) abort();
        if (!(c->parent = realloc(c->parent, c->cap * sizeof(*c->parent)))) abort();
    }
    c->nid[c->count] = info->nid;
    c->parent[c->count] = info->nid_parent;
    c->count++;
    return 0;
}

struct counts
{
    uint32_t count, unread, assoc, subfolders;
};

/* The properties a folder's PC must have. */
static uint32_t folder_expected(const struct model *m, uint32_t fi, const struct counts *k, struct mval *out)
{
    const struct mfolder *f = &m->f[fi];
    uint32_t n = f->props.count;

    memcpy(out, f->props.v, n * sizeof(*out));
    out[n++] = fixed_val(PR_CONTENT_COUNT, k[fi].count);
    out[n++] = fixed_val(PR_CONTENT_UNREAD, k[fi].unread);
    out[n++] = fixed_val(PR_SUBFOLDERS, k[fi].subfolders > 0);
    if (f->flags & F_ACOUNT) out[n++] = fixed_val(PR_ASSOC_CONTENT_COUNT, k[fi].assoc);
    return n;
}

static void cmp_message(struct pst_object *msg, const struct mmsgc *c, uint32_t nid, int depth, int32_t *size_out);

static void cmp_attachments(struct pst_object *msg, const struct mmsgc *c, uint32_t nid, int depth)
{
    static const uint32_t skip[] = {PR_ATTACH_SIZE, PST_PR_ATTACH_DATA_OBJ};
    struct pst_table *t;
    uint32_t i, row;
    int ret;

    ret = pst_message_open_table(msg, PST_NID_ATTACHMENT_TABLE, &t);
    if (!c->natt)
    {
        mok(ret == PST_E_NOT_FOUND || (!ret && !pst_table_row_count(t)), "message %#x: attachment table %d\n", nid, ret);
        if (!ret) pst_table_close(t);
        return;
    }
    if (!mok(!ret, "message %#x: attachment table: %s\n", nid, pst_strerror(ret))) return;
    mok(pst_table_row_count(t) == c->natt, "message %#x: %u attachment rows, expected %u\n", nid,
        pst_table_row_count(t), c->natt);
    for (i = 0; i < c->natt; i++)
    {
        uint32_t anid = PST_NID_MAKE(0x401 + i, PST_NID_TYPE_ATTACHMENT);
        const struct matt *a = &c->atts[i];
        struct mval exp[MAX_PROPS + 1];
        struct pst_object *att;
        struct pst_value v;
        int32_t size = -1;

        if (!mok(!pst_table_find_row(t, anid, &row), "message %#x: no row for attachment %#x\n", nid, anid)) continue;
        ret = pst_message_open_attachment(msg, anid, &att);
        if (!mok(!ret, "message %#x: attachment %#x: %s\n", nid, anid, pst_strerror(ret))) continue;
        cmp_pc(att, a->props.v, a->props.count, skip, 2, "attachment", anid);
        if (mok(!pst_prop_get(att, PR_ATTACH_SIZE, &v), "message %#x attachment %u: no PR_ATTACH_SIZE\n", nid, i))
        {
            uint64_t objects = 0, bytes = props_bytes(&a->props);

            size = v.u.l;
            if (a->embedded) bytes += content_bytes(a->embedded, &objects);
            mok(size >= 0 && (uint64_t)size >= bytes && (uint64_t)size <= bytes * 9 / 8 + 2048 + 16384 * objects,
                "message %#x attachment %u: PR_ATTACH_SIZE %d for %llu bytes of values\n", nid, i, size,
                (unsigned long long)bytes);
        }
        memcpy(exp, a->props.v, a->props.count * sizeof(exp[0]));
        exp[a->props.count] = fixed_val(PR_ATTACH_SIZE, (uint32_t)size);
        cmp_row(t, row, exp, a->props.count + 1, 0, "attachment table", anid);
        ret = pst_prop_get(att, PST_PR_ATTACH_DATA_OBJ, &v);
        if (a->embedded)
        {
            struct pst_object *em;

            if (mok(!ret, "message %#x attachment %u: no PR_ATTACH_DATA_OBJ\n", nid, i)
                    && (ret = pst_attachment_open_message(att, &em), 1)
                    && mok(!ret, "message %#x attachment %u: embedded: %s\n", nid, i, pst_strerror(ret)))
            {
                cmp_message(em, a->embedded, nid, depth + 1, NULL);
                pst_object_close(em);
            }
        }
        else mok(ret == PST_E_NOT_FOUND, "message %#x attachment %u: PR_ATTACH_DATA_OBJ %d\n", nid, i, ret);
        pst_object_close(att);
    }
    pst_table_close(t);
}

static void cmp_message(struct pst_object *msg, const struct mmsgc *c, uint32_t nid, int depth, int32_t *size_out)
{
    static const uint32_t skip[] = {PR_MESSAGE_SIZE};
    struct pst_table *t;
    struct pst_value v;
    uint32_t i, row;
    int ret;

    cmp_pc(msg, c->props.v, c->props.count, skip, 1, depth ? "embedded message" : "message", nid);
    if (mok(!pst_prop_get(msg, PR_MESSAGE_SIZE, &v), "message %#x: no PR_MESSAGE_SIZE\n", nid))
    {
        uint64_t objects = 0, bytes = content_bytes(c, &objects);

        mok(v.u.l >= 0 && (uint64_t)v.u.l >= bytes && (uint64_t)v.u.l <= bytes * 9 / 8 + 4096 + 16384 * objects,
            "message %#x: PR_MESSAGE_SIZE %d for %llu bytes of values\n", nid, v.u.l, (unsigned long long)bytes);
        if (size_out) *size_out = v.u.l;
    }
    ret = pst_message_open_table(msg, PST_NID_RECIPIENT_TABLE, &t);
    if (mok(!ret, "message %#x: recipient table: %s\n", nid, pst_strerror(ret)))
    {
        mok(pst_table_row_count(t) == c->nrecip, "message %#x: %u recipient rows, expected %u\n", nid,
            pst_table_row_count(t), c->nrecip);
        for (i = 0; i < c->nrecip; i++)
        {
            if (mok(!pst_table_find_row(t, i, &row), "message %#x: no recipient row %u\n", nid, i))
                cmp_row(t, row, c->recips[i].v, c->recips[i].count, 1, "recipient table", i);
        }
        pst_table_close(t);
    }
    cmp_attachments(msg, c, nid, depth);
}

static int nid_cmp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

    return x < y ? -1 : x > y;
}

/* Index of a model folder / message by NID: pairs (nid, index) sorted. */
struct index
{
    uint32_t (*v)[2];
    uint32_t count;
};

static void index_build(struct index *ix, uint32_t count, const void *base, size_t stride)
{
    uint32_t i;

    ix->count = count;
    if (!(ix->v = malloc((count ? count : 1) * sizeof(*ix->v)))) abort();
    for (i = 0; i < count; i++)
    {
        ix->v[i][0] = *(const uint32_t *)((const char *)base + i * stride);
        ix->v[i][1] = i;
    }
    qsort(ix->v, count, sizeof(*ix->v), nid_cmp);
}

static int index_find(const struct index *ix, uint32_t nid)
{
    uint32_t key[2] = {nid, 0};
    uint32_t (*p)[2] = bsearch(key, ix->v, ix->count, sizeof(*ix->v), nid_cmp);

    return p ? (int)(*p)[1] : -1;
}

static void cmp_namemap(struct pst_file *f, const struct model *m)
{
    struct pst_namemap *map;
    struct pst_name name;
    uint16_t id;
    uint32_t i;
    int ret;

    ret = pst_namemap_open(f, &map);
    if (!mok(!ret, "name map: %s\n", pst_strerror(ret))) return;
    mok(pst_namemap_count(map) == m->map_count, "name map: %u names, expected %u\n", pst_namemap_count(map),
        m->map_count);
    for (i = 0; i < m->nn; i++)
    {
        const struct pst_name *n = &m->n[i].name;

        ret = pst_namemap_get_id(map, n, &id);
        mok(!ret && id == m->n[i].id, "name %u: id %#x (%d), expected %#x\n", i, id, ret, m->n[i].id);
        ret = pst_namemap_get_name(map, m->n[i].id, &name);
        if (mok(!ret, "name %#x: %s\n", m->n[i].id, pst_strerror(ret)))
            mok(!memcmp(name.guid, n->guid, 16) && name.kind == n->kind
                && (n->kind == PST_NAME_ID ? name.lid == n->lid
                    : name.name_size == n->name_size && !memcmp(name.name, n->name, n->name_size)),
                "name %#x differs\n", m->n[i].id);
    }
    pst_namemap_close(map);
}

static unsigned int findings;

static void finding_cb(void *ctx, const struct pst_finding *f)
{
    (void)ctx;
    if (findings++ < 10 && !g_run->quiet)
        printf("    finding %s nid=%#x bid=%#llx offset=%#llx: %s\n", pst_check_code_name(f->code), f->nid,
               (unsigned long long)f->bid, (unsigned long long)f->offset, f->message);
}

static void check_clean(struct pst_file *f)
{
    unsigned int n = 0;
    int ret;

    findings = 0;
    ret = pst_check(f, finding_cb, NULL, &n);
    mok(!ret && !n, "checker: %d, %u findings\n", ret, n);
}

/* The whole state of f against m. */
static void compare(struct run *r, struct pst_file *f, const struct model *m, const char *when)
{
    struct census cen = {0};
    struct index fx, mx;
    struct counts *k;
    unsigned char *seen;
    uint32_t i, folders = 0, msgs = 0, tables[3] = {0}, normal = 0;
    int ret;

    (void)when;
    r->compares++;
    ret = pst_node_foreach(f, census_cb, &cen);
    mok(!ret, "%s: node walk: %s\n", when, pst_strerror(ret));
    index_build(&fx, m->nf, m->f, sizeof(m->f[0]));
    index_build(&mx, m->nm, m->m, sizeof(m->m[0]));
    if (!(k = calloc(m->nf ? m->nf : 1, sizeof(*k))) || !(seen = calloc(m->nm ? m->nm : 1, 1))) abort();

    /* nodes: exactly the model's folders and messages, with their parents */
    for (i = 0; i < cen.count; i++)
    {
        uint32_t nid = cen.nid[i], type = PST_NID_TYPE(nid);
        int fi, mi;

        if (type == PST_NID_TYPE_NORMAL_FOLDER || type == PST_NID_TYPE_SEARCH_FOLDER)
        {
            folders++;
            fi = index_find(&fx, nid);
            if (mok(fi >= 0, "%s: folder %#x is not in the model\n", when, nid))
                mok(cen.parent[i] == m->f[fi].parent, "%s: folder %#x has parent %#x, expected %#x\n", when, nid,
                    cen.parent[i], m->f[fi].parent);
        }
        else if (type == PST_NID_TYPE_NORMAL_MESSAGE || type == PST_NID_TYPE_ASSOC_MESSAGE)
        {
            msgs++;
            mi = index_find(&mx, nid);
            if (mok(mi >= 0, "%s: message %#x is not in the model\n", when, nid))
                mok(cen.parent[i] == m->m[mi].folder, "%s: message %#x has parent %#x, expected %#x\n", when, nid,
                    cen.parent[i], m->m[mi].folder);
        }
        else if (type >= PST_NID_TYPE_HIERARCHY_TABLE && type <= PST_NID_TYPE_ASSOC_CONTENTS_TABLE
                 && PST_NID_INDEX(nid) >= 0x400)
        {
            fi = index_find(&fx, PST_NID_MAKE(PST_NID_INDEX(nid), PST_NID_TYPE_NORMAL_FOLDER));
            tables[type - PST_NID_TYPE_HIERARCHY_TABLE]++;
            mok(fi >= 0, "%s: table %#x of a folder that does not exist\n", when, nid);
        }
    }
    mok(folders == m->nf, "%s: %u folders, expected %u\n", when, folders, m->nf);
    mok(msgs == m->nm, "%s: %u messages, expected %u\n", when, msgs, m->nm);

    /* counts */
    for (i = 0; i < m->nm; i++)
    {
        int fi = index_find(&fx, m->m[i].folder);

        if (fi < 0) abort();
        if (PST_NID_TYPE(m->m[i].nid) == PST_NID_TYPE_ASSOC_MESSAGE) k[fi].assoc++;
        else
        {
            k[fi].count++;
            if (is_unread(m->m[i].c)) k[fi].unread++;
        }
    }
    for (i = 0; i < m->nf; i++)
    {
        int fi = index_find(&fx, m->f[i].parent);

        if (m->f[i].parent != m->f[i].nid && fi >= 0) k[fi].subfolders++;
        if (PST_NID_TYPE(m->f[i].nid) == PST_NID_TYPE_NORMAL_FOLDER && PST_NID_INDEX(m->f[i].nid) >= 0x400) normal++;
    }
    for (i = 0; i < 3; i++)
        mok(tables[i] == normal, "%s: %u folder tables of type %#x for %u folders\n", when, tables[i],
            PST_NID_TYPE_HIERARCHY_TABLE + i, normal);

    for (i = 0; i < m->nf && !(r->reported > 25); i++)
    {
        const struct mfolder *fo = &m->f[i];
        struct mval exp[MAX_PROPS + 4];
        struct pst_object *obj;
        struct pst_table *t;
        uint32_t n, row, which;

        ret = pst_folder_open(f, fo->nid, &obj);
        if (!mok(!ret, "%s: folder %#x: %s\n", when, fo->nid, pst_strerror(ret))) continue;
        n = folder_expected(m, i, k, exp);
        cmp_pc(obj, exp, n, NULL, 0, "folder", fo->nid);
        pst_object_close(obj);
        if (PST_NID_TYPE(fo->nid) != PST_NID_TYPE_NORMAL_FOLDER) continue;

        ret = pst_folder_open_table(f, fo->nid, PST_FOLDER_HIERARCHY, &t);
        if (mok(!ret, "%s: folder %#x: hierarchy table: %s\n", when, fo->nid, pst_strerror(ret)))
        {
            mok(pst_table_row_count(t) == k[i].subfolders, "folder %#x: %u hierarchy rows, %u subfolders\n", fo->nid,
                pst_table_row_count(t), k[i].subfolders);
            for (row = 0; row < pst_table_row_count(t); row++)
            {
                uint32_t id = 0;
                int ci;

                pst_table_row_id(t, row, &id);
                ci = index_find(&fx, id);
                if (!mok(ci >= 0 && m->f[ci].parent == fo->nid && id != fo->nid,
                         "folder %#x: hierarchy row for %#x, not a child\n", fo->nid, id))
                    continue;
                n = folder_expected(m, ci, k, exp);
                cmp_row(t, row, exp, n, 0, "hierarchy table", id);
            }
            pst_table_close(t);
        }
        for (which = 0; which < 2; which++)
        {
            uint32_t want = which ? k[i].assoc : k[i].count;

            ret = pst_folder_open_table(f, fo->nid, which ? PST_FOLDER_ASSOC : PST_FOLDER_CONTENTS, &t);
            if (!mok(!ret, "%s: folder %#x: contents table %u: %s\n", when, fo->nid, which, pst_strerror(ret)))
                continue;
            mok(pst_table_row_count(t) == want, "folder %#x: %u rows in contents table %u, %u messages\n", fo->nid,
                pst_table_row_count(t), which, want);
            if (want > r->max_rows) r->max_rows = want;
            for (row = 0; row < pst_table_row_count(t); row++)
            {
                uint32_t id = 0;
                int32_t size = -1;
                int mi;
                struct pst_object *msg;
                const struct mmsgc *c;

                pst_table_row_id(t, row, &id);
                mi = index_find(&mx, id);
                if (!mok(mi >= 0 && m->m[mi].folder == fo->nid
                         && (PST_NID_TYPE(id) == PST_NID_TYPE_ASSOC_MESSAGE) == (int)which,
                         "folder %#x: contents table %u has a row for %#x\n", fo->nid, which, id))
                    continue;
                mok(!seen[mi]++, "folder %#x: second row for message %#x\n", fo->nid, id);
                c = m->m[mi].c;
                ret = pst_message_open(f, id, &msg);
                if (!mok(!ret, "message %#x: %s\n", id, pst_strerror(ret))) continue;
                cmp_message(msg, c, id, 0, &size);
                pst_object_close(msg);
                memcpy(exp, c->props.v, c->props.count * sizeof(exp[0]));
                exp[c->props.count] = fixed_val(PR_MESSAGE_SIZE, (uint32_t)size);
                cmp_row(t, row, exp, c->props.count + 1, 0, "contents table", id);
            }
            pst_table_close(t);
        }
    }
    for (i = 0; i < m->nm; i++) mok(seen[i] == 1, "%s: message %#x has %u contents rows\n", when, m->m[i].nid, seen[i]);
    cmp_namemap(f, m);
    check_clean(f);
    free(seen);
    free(k);
    free(fx.v);
    free(mx.v);
    free(cen.nid);
    free(cen.parent);
}

/* -------------------------------------------------------------- set-up -- */

/* In PST_MODEL_DIR, else in /dev/shm when there is one (commits flush
 * hundreds of times), else in TMPDIR or /tmp. */
static const char *tmp_path(const char *name)
{
    static char buf[512];
    const char *dir = getenv("PST_MODEL_DIR");

    if (!dir || !*dir) dir = !access("/dev/shm", W_OK) ? "/dev/shm" : getenv("TMPDIR");
    snprintf(buf, sizeof(buf), "%s/pstm-%d-%s", dir && *dir ? dir : "/tmp", (int)getpid(), name);
    return buf;
}

static uint64_t get_seed(void)
{
    const char *s = getenv("PST_MODEL_SEED");

    if (s && *s) return strtoull(s, NULL, 0);
    return ((uint64_t)time(NULL) << 20) ^ (uint64_t)getpid() ^ ((uint64_t)clock() << 40);
}

/* The model of a store pst_create just made: its folders as they are. */
static int model_load(struct run *r, struct pst_file *f, struct model *m)
{
    struct census cen = {0};
    struct pst_namemap *map;
    uint32_t i, k;
    int ret;

    model_free(m);
    if ((ret = pst_node_foreach(f, census_cb, &cen))) return ret;
    for (i = 0; i < cen.count && !ret; i++)
    {
        uint32_t type = PST_NID_TYPE(cen.nid[i]);
        struct pst_object *obj;
        struct pbuild *b;
        struct mfolder fo;

        if (type != PST_NID_TYPE_NORMAL_FOLDER && type != PST_NID_TYPE_SEARCH_FOLDER) continue;
        if ((ret = pst_folder_open(f, cen.nid[i], &obj))) break;
        if (!(b = malloc(sizeof(*b)))) abort();
        b->count = 0;
        memset(&fo, 0, sizeof(fo));
        fo.nid = cen.nid[i];
        fo.parent = cen.parent[i];
        fo.flags = F_FIXED;
        for (k = 0; k < pst_prop_count(obj) && !ret; k++)
        {
            struct pst_value v;
            struct mval mv;

            if ((ret = pst_prop_get_at(obj, k, &v))) break;
            if (v.tag == PR_CONTENT_COUNT || v.tag == PR_CONTENT_UNREAD || v.tag == PR_SUBFOLDERS) continue;
            if (v.tag == PR_ASSOC_CONTENT_COUNT)
            {
                fo.flags |= F_ACOUNT;
                continue;
            }
            mv = from_value(&v);
            pb_set(b, &mv);
        }
        fo.props = pb_freeze(b);
        free(b);
        pst_object_close(obj);
        add_folder(m, &fo);
    }
    free(cen.nid);
    free(cen.parent);
    if (ret) return ret;
    for (i = 0; i < m->nf; i++)
        if (PST_NID_TYPE(m->f[i].nid) == PST_NID_TYPE_NORMAL_FOLDER && in_subtree(m, NID_IPM_SUBTREE, m->f[i].nid))
            m->f[i].flags |= F_IPM;
    if ((ret = pst_namemap_open(f, &map))) return ret;
    m->map_count = r->initial_names = pst_namemap_count(map);
    pst_namemap_close(map);
    return PST_OK;
}

static int run_create(struct run *r, const char *path)
{
    struct pst_create_params p;
    struct mval name;
    struct pst_value v;
    char err[256];
    int ret;

    memset(&p, 0, sizeof(p));
    name = short_string(r, 0x0001001f, 30);
    to_value(&name, &v);
    p.display_name = (const uint16_t *)v.bytes;
    p.display_name_len = v.size / 2;
    p.crypt_method = (uint8_t)rn(r, 2);
    r->path = path;
    if ((ret = pst_io_open_file(path, PST_IO_WRITE | PST_IO_CREATE, &r->io)))
    {
        mok(0, "open %s: %s\n", path, pst_strerror(ret));
        return ret;
    }
    if ((ret = pst_create(r->io, NULL, &p, &r->f, err, sizeof(err))))
    {
        mok(0, "pst_create: %s %s\n", pst_strerror(ret), err);
        r->io->close(r->io);
        return ret;
    }
    tmp_free();
    if ((ret = model_load(r, r->f, &r->base)))
    {
        mok(0, "reading the new store: %s\n", pst_strerror(ret));
        return ret;
    }
    model_copy(&r->cur, &r->base);
    return PST_OK;
}

/* ------------------------------------------------------------------ ops -- */

enum
{
    OP_FOLDER_CREATE, OP_FOLDER_SET, OP_FOLDER_DELETE, OP_FOLDER_MOVE, OP_MSG_CREATE, OP_MSG_REPLACE,
    OP_MSG_SET, OP_MSG_DELETE, OP_MSG_MOVE, OP_NAME, OP_INVALID, OP_COUNT
};

static const char *const op_names[OP_COUNT] =
{
    "folder create", "folder set", "folder delete", "folder move", "message create", "message replace",
    "message set", "message delete", "message move", "name", "refused call",
};

/* A random folder with all of flags, or -1. */
static int pick_folder(struct run *r, unsigned int flags, unsigned int without)
{
    uint32_t i, n = 0, k;

    for (i = 0; i < r->cur.nf; i++)
        if ((r->cur.f[i].flags & flags) == flags && !(r->cur.f[i].flags & without)) n++;
    if (!n) return -1;
    k = rn(r, n);
    for (i = 0; i < r->cur.nf; i++)
        if ((r->cur.f[i].flags & flags) == flags && !(r->cur.f[i].flags & without) && !k--) return i;
    return -1;
}

static int is_count_tag(uint32_t tag)
{
    return tag == PR_CONTENT_COUNT || tag == PR_CONTENT_UNREAD || tag == PR_SUBFOLDERS || tag == PR_ASSOC_CONTENT_COUNT;
}

static struct mval rand_folder_prop(struct run *r)
{
    uint32_t p = rn(r, 100);

    if (p < 25) return short_string(r, PR_DISPLAY_NAME_W, 60);
    if (p < 35) return rand_val(r, PR_DISPLAY_NAME_W);
    if (p < 55) return rand_val(r, PR_COMMENT_W);
    if (p < 65) return short_string(r, PR_CONTAINER_CLASS_W, 20);
    if (p < 90) return rand_val(r, custom_tag(r));
    return rand_val(r, named_or_custom_tag(r));
}

static int op_folder_create(struct run *r)
{
    struct pbuild *b = malloc(sizeof(*b));
    struct pst_propset set;
    struct mfolder fo;
    struct mval m;
    uint32_t nid = 0, i, n;
    int parent = pick_folder(r, F_IPM, 0), ret, ok = 1;

    if (!b) abort();
    b->count = 0;
    m = chance(r, 90) ? short_string(r, PR_DISPLAY_NAME_W, 40) : rand_val(r, PR_DISPLAY_NAME_W);
    pb_set(b, &m);
    for (i = 0, n = rn(r, 4); i < n; i++)
    {
        m = rand_folder_prop(r);
        pb_set(b, &m);
    }
    memset(&fo, 0, sizeof(fo));
    fo.flags = F_IPM;
    if (chance(r, 8))
    {
        /* the engine's: ignored */
        m = fixed_val(PR_CONTENT_COUNT, 7);
        pb_set(b, &m);
        m = fixed_val(PR_CONTENT_UNREAD, 3);
        pb_set(b, &m);
        m = fixed_val(PR_SUBFOLDERS, 1);
        pb_set(b, &m);
    }
    if (chance(r, 5))
    {
        m = fixed_val(PR_ASSOC_CONTENT_COUNT, 5);
        pb_set(b, &m);
        fo.flags |= F_ACOUNT;
    }
    to_propset(b->v, b->count, &set);
    ret = pst_folder_create(r->f, r->cur.f[parent].nid, &set, &nid);
    tmp_free();
    if (call_ok(r, ret, PST_OK, "pst_folder_create"))
    {
        mok(PST_NID_TYPE(nid) == PST_NID_TYPE_NORMAL_FOLDER && find_folder(&r->cur, nid) < 0
            && find_folder(&r->base, nid) < 0, "new folder %#x\n", nid);
        for (i = 0; i < b->count; )
        {
            if (is_count_tag(b->v[i].tag)) pb_remove(b, b->v[i].tag);
            else i++;
        }
        fo.nid = nid;
        fo.parent = r->cur.f[parent].nid;
        fo.props = pb_freeze(b);
        add_folder(&r->cur, &fo);
    }
    else ok = 0;
    free(b);
    return ok;
}

static int op_folder_set(struct run *r)
{
    struct pbuild *b = malloc(sizeof(*b)), *set = malloc(sizeof(*set));
    struct pst_propset ps;
    uint32_t remove[6], nremove = 0, i, n;
    int fi = pick_folder(r, F_IPM, 0), ret, ok = 1;
    struct mfolder *fo = &r->cur.f[fi];
    struct mval m;

    if (!b || !set) abort();
    set->count = 0;
    for (i = 0, n = rn(r, 4); i < n; i++)
    {
        m = rand_folder_prop(r);
        pb_set(set, &m);
    }
    if (chance(r, 10))
    {
        m = fixed_val(PR_CONTENT_COUNT, 99);
        pb_set(set, &m);
        m = fixed_val(PR_ASSOC_CONTENT_COUNT, 98);
        pb_set(set, &m);
    }
    for (i = 0, n = rn(r, 3); i < n && fo->props.count; i++) remove[nremove++] = fo->props.v[rn(r, fo->props.count)].tag;
    if (chance(r, 20)) remove[nremove++] = custom_tag(r);
    if (chance(r, 10)) remove[nremove++] = chance(r, 50) ? PR_SUBFOLDERS : PR_CONTENT_UNREAD;
    to_propset(set->v, set->count, &ps);
    ret = pst_folder_set_props(r->f, fo->nid, &ps, remove, nremove);
    tmp_free();
    if (call_ok(r, ret, PST_OK, "pst_folder_set_props"))
    {
        pb_load(b, &fo->props);
        for (i = 0; i < set->count; i++)
            if (!is_count_tag(set->v[i].tag)) pb_set(b, &set->v[i]);
        for (i = 0; i < nremove; i++)
            if (!is_count_tag(remove[i])) pb_remove(b, remove[i]);
        fo->props = pb_freeze(b);
    }
    else ok = 0;
    free(b);
    free(set);
    return ok;
}

/* Removes a folder, its subfolders and all their messages from the model. */
static void model_delete_folder(struct model *m, uint32_t nid)
{
    unsigned char *doomed = calloc(m->nf ? m->nf : 1, 1);
    uint32_t i, k;

    if (!doomed) abort();
    for (i = 0; i < m->nm; )
    {
        if (in_subtree(m, nid, m->m[i].folder)) m->m[i] = m->m[--m->nm];
        else i++;
    }
    /* mark the whole subtree before removing anything: the walk needs parents */
    for (i = 0; i < m->nf; i++) doomed[i] = (unsigned char)in_subtree(m, nid, m->f[i].nid);
    for (i = k = 0; i < m->nf; i++)
        if (!doomed[i]) m->f[k++] = m->f[i];
    m->nf = k;
    free(doomed);
}

static int op_folder_delete(struct run *r)
{
    static const uint32_t protected[] = {PST_NID_ROOT_FOLDER, NID_IPM_SUBTREE, NID_SEARCH_ROOT, NID_DELETED_ITEMS,
                                         NID_COMMON_VIEWS};
    int fi, ret;
    uint32_t nid;

    if (chance(r, 6))
    {
        nid = protected[rn(r, 5)];
        r->refused++;
        return call_ok(r, pst_folder_delete(r->f, nid), PST_E_INVALID_ARG, "pst_folder_delete of a protected folder");
    }
    if ((fi = pick_folder(r, F_IPM, F_FIXED)) < 0) return 1;
    nid = r->cur.f[fi].nid;
    ret = pst_folder_delete(r->f, nid);
    if (!call_ok(r, ret, PST_OK, "pst_folder_delete")) return 0;
    model_delete_folder(&r->cur, nid);
    return 1;
}

static int op_folder_move(struct run *r)
{
    uint32_t nid, target, i, n = 0;
    int fi, ti, ret;

    if (chance(r, 4))
    {
        ti = pick_folder(r, F_IPM, 0);
        r->refused++;
        return call_ok(r, pst_folder_move(r->f, chance(r, 50) ? NID_DELETED_ITEMS : NID_IPM_SUBTREE, r->cur.f[ti].nid),
                       PST_E_INVALID_ARG, "pst_folder_move of a protected folder");
    }
    if ((fi = pick_folder(r, F_IPM, F_FIXED)) < 0) return 1;
    nid = r->cur.f[fi].nid;
    if (chance(r, 30))
    {
        /* into itself or below it: refused, the transaction goes on */
        for (i = 0; i < r->cur.nf; i++)
            if (in_subtree(&r->cur, nid, r->cur.f[i].nid)) n++;
        n = rn(r, n);
        for (i = 0; i < r->cur.nf; i++)
            if (in_subtree(&r->cur, nid, r->cur.f[i].nid) && !n--) break;
        r->refused++;
        ret = pst_folder_move(r->f, nid, r->cur.f[i].nid);
        return call_ok(r, ret, PST_E_INVALID_ARG, "pst_folder_move under itself");
    }
    for (i = 0; i < r->cur.nf; i++)
        if ((r->cur.f[i].flags & F_IPM) && !in_subtree(&r->cur, nid, r->cur.f[i].nid)) n++;
    n = rn(r, n);
    for (i = 0; i < r->cur.nf; i++)
        if ((r->cur.f[i].flags & F_IPM) && !in_subtree(&r->cur, nid, r->cur.f[i].nid) && !n--) break;
    target = r->cur.f[i].nid;
    ret = pst_folder_move(r->f, nid, target);
    if (!call_ok(r, ret, PST_OK, "pst_folder_move")) return 0;
    r->cur.f[fi].parent = target;
    return 1;
}

/* Sometimes reads a message back inside the transaction (the reader sees
 * the transaction's nodes). */
static void readback(struct run *r, uint32_t nid, const struct mmsgc *c)
{
    struct pst_object *msg;
    int ret;

    if (r->fault || !chance(r, 15)) return;
    ret = pst_message_open(r->f, nid, &msg);
    if (!mok(!ret, "message %#x inside the transaction: %s\n", nid, pst_strerror(ret))) return;
    cmp_message(msg, c, nid, 0, NULL);
    pst_object_close(msg);
}

static int save_message(struct run *r, int mi, uint32_t folder, int assoc)
{
    const struct mmsgc *g = gen_content(r, 0);
    struct pst_message_data d;
    uint32_t nid = mi >= 0 ? r->cur.m[mi].nid : 0;
    uint64_t objects = 0;
    int ret;

    to_message_data(g, &d);
    r->bytes_written += content_bytes(g, &objects);
    r->txn_bytes += content_bytes(g, &objects);
    if (r->txn_bytes > r->peak_txn) r->peak_txn = r->txn_bytes;
    ret = pst_message_save(r->f, folder, assoc, &d, &nid);
    tmp_free();
    if (!call_ok(r, ret, PST_OK, "pst_message_save")) return 0;
    if (mi >= 0)
    {
        mok(nid == r->cur.m[mi].nid, "replaced message %#x got nid %#x\n", r->cur.m[mi].nid, nid);
        r->cur.m[mi].c = expected_content(g);
        readback(r, nid, r->cur.m[mi].c);
    }
    else
    {
        struct mmsg msg;

        mok(PST_NID_TYPE(nid) == (assoc ? PST_NID_TYPE_ASSOC_MESSAGE : PST_NID_TYPE_NORMAL_MESSAGE)
            && find_msg(&r->cur, nid) < 0 && find_msg(&r->base, nid) < 0, "new message %#x\n", nid);
        msg.nid = nid;
        msg.folder = folder;
        msg.c = expected_content(g);
        add_msg(&r->cur, &msg);
        readback(r, nid, msg.c);
    }
    return 1;
}

static int op_msg_create(struct run *r)
{
    int fi = pick_folder(r, F_IPM, 0);

    if (r->bulk && find_folder(&r->cur, r->hot) >= 0 && chance(r, 80))
    {
        /* many small messages */
        fi = find_folder(&r->cur, r->hot);
        r->small += 2;
        fi = save_message(r, -1, r->cur.f[fi].nid, chance(r, 5));
        r->small -= 2;
        return fi;
    }
    return save_message(r, -1, r->cur.f[fi].nid, chance(r, 12));
}

static int op_msg_replace(struct run *r)
{
    int mi;

    if (!r->cur.nm) return 1;
    mi = rn(r, r->cur.nm);
    return save_message(r, mi, r->cur.m[mi].folder, PST_NID_TYPE(r->cur.m[mi].nid) == PST_NID_TYPE_ASSOC_MESSAGE);
}

static int op_msg_set(struct run *r)
{
    struct pbuild *b, *set;
    struct pst_propset ps;
    uint32_t remove[8], nremove = 0, i, n;
    struct mmsgc *c;
    struct mval m;
    int mi, ret, ok = 1;

    if (!r->cur.nm) return 1;
    mi = rn(r, r->cur.nm);
    if (!(b = malloc(sizeof(*b))) || !(set = malloc(sizeof(*set)))) abort();
    set->count = 0;
    for (i = 0, n = rn(r, 6); i < n; i++)
    {
        m = rand_msg_prop(r);
        pb_set(set, &m);
    }
    if (chance(r, 5))
    {
        m = fixed_val(PR_MESSAGE_SIZE, 1);
        pb_set(set, &m);
    }
    c = arena_alloc(sizeof(*c));
    *c = *r->cur.m[mi].c;
    for (i = 0, n = rn(r, 4); i < n && c->props.count; i++) remove[nremove++] = c->props.v[rn(r, c->props.count)].tag;
    if (chance(r, 10)) remove[nremove++] = custom_tag(r);
    if (chance(r, 5)) remove[nremove++] = PR_MESSAGE_SIZE;
    to_propset(set->v, set->count, &ps);
    ret = pst_message_set_props(r->f, r->cur.m[mi].nid, &ps, remove, nremove);
    tmp_free();
    if (call_ok(r, ret, PST_OK, "pst_message_set_props"))
    {
        pb_load(b, &c->props);
        for (i = 0; i < set->count; i++)
            if (set->v[i].tag != PR_MESSAGE_SIZE) pb_set(b, &set->v[i]);
        for (i = 0; i < nremove; i++)
            if (remove[i] != PR_MESSAGE_SIZE) pb_remove(b, remove[i]);
        c->props = pb_freeze(b);
        r->cur.m[mi].c = c;
        readback(r, r->cur.m[mi].nid, c);
    }
    else ok = 0;
    free(b);
    free(set);
    return ok;
}

static int op_msg_delete(struct run *r)
{
    int mi, ret;

    if (!r->cur.nm) return 1;
    mi = rn(r, r->cur.nm);
    ret = pst_message_delete(r->f, r->cur.m[mi].nid);
    if (!call_ok(r, ret, PST_OK, "pst_message_delete")) return 0;
    r->cur.m[mi] = r->cur.m[--r->cur.nm];
    return 1;
}

static int op_msg_move(struct run *r)
{
    int mi, fi, ret;

    if (!r->cur.nm) return 1;
    mi = rn(r, r->cur.nm);
    fi = pick_folder(r, F_IPM, 0);
    ret = pst_message_move(r->f, r->cur.m[mi].nid, r->cur.f[fi].nid);
    if (!call_ok(r, ret, PST_OK, "pst_message_move")) return 0;
    r->cur.m[mi].folder = r->cur.f[fi].nid;
    return 1;
}

static const uint8_t guids[5][16] =
{
    {0x29, 0x03, 0x02, 0, 0, 0, 0, 0, 0xc0, 0, 0, 0, 0, 0, 0, 0x46},         /* PS_PUBLIC_STRINGS */
    {0x28, 0x03, 0x02, 0, 0, 0, 0, 0, 0xc0, 0, 0, 0, 0, 0, 0, 0x46},         /* PS_MAPI */
    {0x08, 0x20, 0x06, 0, 0, 0, 0, 0, 0xc0, 0, 0, 0, 0, 0, 0, 0x46},         /* PSETID_Common */
    {0x57, 0x69, 0x6e, 0x65, 0x4d, 0x6f, 0x64, 0x65, 0x6c, 0x01, 2, 3, 4, 5, 6, 7},
    {0x57, 0x69, 0x6e, 0x65, 0x4d, 0x6f, 0x64, 0x65, 0x6c, 0x02, 2, 3, 4, 5, 6, 7},
};

static int name_equal(const struct pst_name *a, const struct pst_name *b)
{
    if (memcmp(a->guid, b->guid, 16) || a->kind != b->kind) return 0;
    if (a->kind == PST_NAME_ID) return a->lid == b->lid;
    return a->name_size == b->name_size && !memcmp(a->name, b->name, a->name_size);
}

static int op_name1(struct run *r)
{
    struct pst_name name;
    struct mname *known = NULL;
    uint8_t *str = NULL;
    uint16_t id = 0;
    uint32_t i;
    int ret;

    memset(&name, 0, sizeof(name));
    memcpy(name.guid, guids[rn(r, 5)], 16);
    if (chance(r, 50))
    {
        name.kind = PST_NAME_ID;
        name.lid = chance(r, 50) ? 0x8500 + rn(r, 32) : rn(r, 3000);
    }
    else
    {
        char ascii[256];
        size_t n;

        name.kind = PST_NAME_STRING;
        if (chance(r, 10))
        {
            for (n = 0; n < 100 + rn(r, 100); n++) ascii[n] = (char)('a' + rn(r, 26));
            ascii[n] = 0;
        }
        else snprintf(ascii, sizeof(ascii), "X-Model-%u", rn(r, 40));
        n = strlen(ascii);
        str = arena_alloc(2 * n);
        for (i = 0; i < n; i++) str[2 * i] = (uint8_t)ascii[i];
        name.name = str;
        name.name_size = 2 * n;
    }
    for (i = 0; i < r->cur.nn; i++)
        if (name_equal(&r->cur.n[i].name, &name)) known = &r->cur.n[i];
    ret = pst_namemap_add(r->f, &name, &id);
    if (!call_ok(r, ret, PST_OK, "pst_namemap_add")) return 0;
    if (known)
    {
        mok(id == known->id, "name added again: id %#x, first %#x\n", id, known->id);
        return 1;
    }
    if (id == 0x8000 + r->cur.map_count) r->cur.map_count++;
    else
    {
        /* one of the store's predefined names */
        int taken = 0;

        for (i = 0; i < r->cur.nn; i++)
            if (r->cur.n[i].id == id) taken = 1;
        mok(id >= 0x8000 && id < 0x8000 + r->initial_names && !taken, "new name got id %#x (%u names)\n", id,
            r->cur.map_count);
    }
    if (!(r->cur.n = realloc(r->cur.n, (r->cur.nn + 1) * sizeof(*r->cur.n)))) abort();
    r->cur.n[r->cur.nn].name = name;
    r->cur.n[r->cur.nn].id = id;
    r->cur.nn++;
    return 1;
}

static int op_name(struct run *r)
{
    unsigned int i, n = r->bulk ? 1 + rn(r, 8) : 1;

    for (i = 0; i < n; i++)
        if (!op_name1(r)) return 0;
    return 1;
}

/* A chain of n embedded messages (n > 8 is too deep for the engine). */
static const struct mmsgc *deep_content(struct run *r, unsigned int n)
{
    struct mmsgc *c = arena_alloc(sizeof(*c));
    struct matt *a;
    struct pbuild b;

    c->props.count = 0;
    if (!n) return c;
    a = arena_alloc(sizeof(*a));
    b.count = 0;
    b.v[0] = fixed_val(PR_ATTACH_METHOD, 5);
    b.count = 1;
    a->props = pb_freeze(&b);
    a->embedded = deep_content(r, n - 1);
    c->natt = 1;
    c->atts = a;
    return c;
}

/* A call that must be refused with PST_E_INVALID_ARG, leaving the store
 * and the transaction as they were (and no block behind). */
static int op_invalid(struct run *r)
{
    uint32_t variant = rn(r, 10), nid = 0, msg = r->cur.nm ? r->cur.m[rn(r, r->cur.nm)].nid : 0;
    int fi = pick_folder(r, F_IPM, 0), ret;
    struct pst_message_data d;
    struct pst_propset set;
    struct pst_value v;
    const char *what;

    r->refused++;
    switch (variant)
    {
    case 0:
        what = "pst_message_delete of a message that does not exist";
        ret = pst_message_delete(r->f, PST_NID_MAKE(0x3fffff0 + rn(r, 8), PST_NID_TYPE_NORMAL_MESSAGE));
        break;
    case 1:
        if (!msg) return 1;
        what = "pst_message_move to a message";
        ret = pst_message_move(r->f, msg, msg);
        break;
    case 2:
        what = "pst_folder_create under a message";
        v = dummy_value(PR_DISPLAY_NAME_W);
        set.props = &v;
        set.count = 1;
        ret = pst_folder_create(r->f, msg ? msg : PST_NID_MESSAGE_STORE, &set, &nid);
        break;
    case 3:
    {
        struct mval m = rand_val(r, PR_COMMENT_W);

        what = "pst_folder_create without a display name";
        to_propset(&m, 1, &set);
        ret = pst_folder_create(r->f, r->cur.f[fi].nid, &set, &nid);
        break;
    }
    case 4:
    {
        /* a good message whose last attachment has a PT_OBJECT property */
        const struct mmsgc *g = gen_content(r, 0);
        struct pst_attachment_data *atts;

        what = "pst_message_save with a PT_OBJECT attachment property";
        to_message_data(g, &d);
        atts = tmp_alloc((d.attachment_count + 1) * sizeof(*atts));
        memcpy(atts, d.attachments, d.attachment_count * sizeof(*atts));
        v = dummy_value(PST_PR_ATTACH_DATA_OBJ);
        atts[d.attachment_count].props.props = &v;
        atts[d.attachment_count].props.count = 1;
        d.attachments = atts;
        d.attachment_count++;
        ret = pst_message_save(r->f, r->cur.f[fi].nid, 0, &d, &nid);
        break;
    }
    case 5:
    {
        const struct mmsgc *g = gen_content(r, 0);
        uint32_t other = r->cur.f[fi].nid;

        if (!msg || r->cur.m[find_msg(&r->cur, msg)].folder == other) return 1;
        what = "pst_message_save of a message in another folder";
        to_message_data(g, &d);
        nid = msg;
        ret = pst_message_save(r->f, other, 0, &d, &nid);
        break;
    }
    case 6:
        if (!msg) return 1;
        what = "pst_message_set_props with an unknown property type";
        v = dummy_value(PST_PROP_TAG(0x4020, 0x0009));
        set.props = &v;
        set.count = 1;
        ret = pst_message_set_props(r->f, msg, &set, NULL, 0);
        break;
    case 7:
        if (!msg) return 1;
        what = "pst_folder_set_props of a message";
        v = dummy_value(PR_DISPLAY_NAME_W);
        set.props = &v;
        set.count = 1;
        ret = pst_folder_set_props(r->f, msg, &set, NULL, 0);
        break;
    case 8:
        what = "pst_message_save nested too deep";
        to_message_data(deep_content(r, 12), &d);
        ret = pst_message_save(r->f, r->cur.f[fi].nid, 0, &d, &nid);
        break;
    default:
        what = "pst_folder_delete of a folder that does not exist";
        ret = pst_folder_delete(r->f, PST_NID_MAKE(0x3fffff0 + rn(r, 8), PST_NID_TYPE_NORMAL_FOLDER));
        break;
    }
    tmp_free();
    return call_ok(r, ret, PST_E_INVALID_ARG, what);
}

/* One random operation; 0 ends the transaction (failure or fault). */
static int random_op(struct run *r)
{
    unsigned int w[OP_COUNT], total = 0, i, p;
    uint32_t user = 0;

    for (i = 0; i < r->cur.nf; i++)
        if (!(r->cur.f[i].flags & F_FIXED)) user++;
    w[OP_FOLDER_CREATE] = user < 30 ? 6 : 1;
    w[OP_FOLDER_SET] = 4;
    w[OP_FOLDER_DELETE] = user > 20 ? 5 : 2;
    w[OP_FOLDER_MOVE] = 5;
    w[OP_MSG_CREATE] = r->cur.nm < (r->bulk ? 130 : 35) ? (r->bulk ? 48 : 24) : 8;
    w[OP_MSG_REPLACE] = 5;
    w[OP_MSG_SET] = 12;
    w[OP_MSG_DELETE] = r->cur.nm > (r->bulk ? 140 : 45) ? 24 : r->bulk ? 2 : 8;
    w[OP_MSG_MOVE] = 8;
    w[OP_NAME] = r->bulk ? 10 : 5;
    w[OP_INVALID] = 3;
    for (i = 0; i < OP_COUNT; i++) total += w[i];
    p = rn(r, total);
    for (i = 0; i < OP_COUNT && p >= w[i]; i++) p -= w[i];
    r->op++;
    r->ops[i]++;
    switch (i)
    {
    case OP_FOLDER_CREATE: return op_folder_create(r);
    case OP_FOLDER_SET: return op_folder_set(r);
    case OP_FOLDER_DELETE: return op_folder_delete(r);
    case OP_FOLDER_MOVE: return op_folder_move(r);
    case OP_MSG_CREATE: return op_msg_create(r);
    case OP_MSG_REPLACE: return op_msg_replace(r);
    case OP_MSG_SET: return op_msg_set(r);
    case OP_MSG_DELETE: return op_msg_delete(r);
    case OP_MSG_MOVE: return op_msg_move(r);
    case OP_NAME: return op_name(r);
    default: return op_invalid(r);
    }
}

/* ---------------------------------------------------------------- units -- */

static int open_read(const char *path, struct pst_io **io, struct pst_file **f)
{
    char err[256];
    int ret;

    if ((ret = pst_io_open_file(path, 0, io))) return ret;
    if ((ret = pst_open(*io, NULL, f, err, sizeof(err))))
    {
        printf("    open: %s\n", err);
        (*io)->close(*io);
    }
    return ret;
}

/* Compares a reader beside the writer, closes the writer, compares a
 * read-only open, reopens for writing. */
static int reopen(struct run *r)
{
    struct pst_file_info info;
    struct pst_io *io;
    struct pst_file *f;
    char err[256];
    int ret;

    r->reopens++;
    /* a reader beside the writer sees the committed state */
    ret = open_read(r->path, &io, &f);
    if (!mok(!ret, "read-only open beside the writer: %s\n", pst_strerror(ret))) return ret;
    compare(r, f, &r->base, "reader beside the writer");
    pst_close(f);
    io->close(io);
    pst_close(r->f);
    r->io->close(r->io);
    r->f = NULL;
    ret = open_read(r->path, &io, &f);
    if (!mok(!ret, "read-only open: %s\n", pst_strerror(ret))) return ret;
    pst_get_info(f, &info);
    mok(info.amap_valid == 2 && info.file_eof == info.file_size, "after reopening: fAMapValid %u, eof %llu, size %llu\n",
        info.amap_valid, (unsigned long long)info.file_eof, (unsigned long long)info.file_size);
    compare(r, f, &r->base, "read-only reopen");
    pst_close(f);
    io->close(io);
    if ((ret = pst_io_open_file(r->path, PST_IO_WRITE, &r->io)))
    {
        mok(0, "open for writing: %s\n", pst_strerror(ret));
        return ret;
    }
    if ((ret = pst_open_write(r->io, NULL, &r->f, err, sizeof(err))))
    {
        mok(0, "pst_open_write: %s %s\n", pst_strerror(ret), err);
        r->io->close(r->io);
        return ret;
    }
    compare(r, r->f, &r->base, "write reopen");
    return PST_OK;
}

/* One transaction of n random operations, committed or aborted. */
static void transaction(struct run *r, unsigned int n, int abort_it, int check)
{
    unsigned int i;
    int ret;

    r->txn++;
    r->op = 0;
    r->txn_bytes = 0;
    ret = pst_begin(r->f);
    if (!call_ok(r, ret, PST_OK, "pst_begin")) return;
    for (i = 0; i < n && !r->dead; i++)
        if (!random_op(r)) break;
    if (r->dead)
    {
        pst_abort(r->f);
        return;
    }
    if (abort_it)
    {
        pst_abort(r->f);
        r->aborts++;
        model_copy(&r->cur, &r->base);
        if (check) compare(r, r->f, &r->base, "after abort");
        return;
    }
    ret = pst_commit(r->f);
    if (!call_ok(r, ret, PST_OK, "pst_commit")) return;
    r->commits++;
    model_copy(&r->base, &r->cur);
    {
        uint64_t objects = 0;

        for (r->live = i = 0; i < r->base.nm; i++) r->live += content_bytes(r->base.m[i].c, &objects);
        if (r->live > r->peak_live) r->peak_live = r->live;
    }
    if (check) compare(r, r->f, &r->base, "after commit");
}

static unsigned int txn_size(struct run *r)
{
    uint32_t p = rn(r, 100);

    return p < 60 ? 1 + rn(r, 12) : p < 90 ? 10 + rn(r, 20) : 30 + rn(r, 50);
}

static void run_free(struct run *r)
{
    if (r->f) pst_close(r->f);
    if (r->io) r->io->close(r->io);
    r->f = NULL;
    r->io = NULL;
    model_free(&r->cur);
    model_free(&r->base);
}

static void test_random(void)
{
    const char *env = getenv("PST_MODEL_TXNS");
    unsigned int txns = env && *env ? (unsigned int)strtoul(env, NULL, 0) : 200, i, ops = 0;
    char path[512];
    struct run r;
    struct pst_file_info info;

    memset(&r, 0, sizeof(r));
    g_run = &r;
    r.seed = r.rng = get_seed();
    if (!txns)
    {
        skip("PST_MODEL_TXNS is 0\n");
        return;
    }
    trace("seed %llu (PST_MODEL_SEED=%llu replays this run), %u transactions\n", (unsigned long long)r.seed,
          (unsigned long long)r.seed, txns);
    snprintf(path, sizeof(path), "%s", tmp_path("random.pst"));
    if (run_create(&r, path)) goto done;
    compare(&r, r.f, &r.base, "new store");
    for (i = 0; i < txns && !r.dead && r.reported == 0; i++)
    {
        /* every 50 transactions, 20 of them grow one folder past a few
         * blocks of contents rows, and the name map */
        if (i % 50 == 20)
        {
            int fi = pick_folder(&r, F_IPM, 0);

            r.bulk = 1;
            r.hot = r.cur.f[fi].nid;
        }
        else if (i % 50 == 40) r.bulk = 0;
        transaction(&r, txn_size(&r), chance(&r, 12), 1);
        if (i % 25 == 24 && !r.dead && reopen(&r)) break;
    }
    if (!r.dead && r.f) reopen(&r);
    for (i = 0; i < OP_COUNT; i++) ops += r.ops[i];
    if (r.f) pst_get_info(r.f, &info);
    else memset(&info, 0, sizeof(info));
    trace("%u operations in %u transactions (%u commits, %u aborts, %u refused calls), %u reopens, %u comparisons, "
          "%llu MiB of values written, file %llu KiB, %u messages and %u folders at the end, up to %u rows in a "
          "contents table, %u names\n", ops, r.txn, r.commits, r.aborts, r.refused, r.reopens, r.compares,
          (unsigned long long)(r.bytes_written >> 20), (unsigned long long)(info.file_size >> 10), r.base.nm, r.base.nf,
          r.max_rows, r.base.map_count);
    for (i = 0; i < OP_COUNT; i++) trace("  %-16s %u\n", op_names[i], r.ops[i]);
    trace("values: %llu KiB live at the end, %llu KiB at most, %llu KiB in the largest transaction\n",
          (unsigned long long)(r.live >> 10), (unsigned long long)(r.peak_live >> 10),
          (unsigned long long)(r.peak_txn >> 10));
    /* freed space is reused: the file stays near the most the store held */
    mok(!r.f || info.file_size <= 2 * (r.peak_live + r.peak_txn) + (4u << 20),
        "the file grew to %llu KiB for at most %llu KiB of values\n", (unsigned long long)(info.file_size >> 10),
        (unsigned long long)((r.peak_live + r.peak_txn) >> 10));
done:
    run_free(&r);
    unlink(path);
    arena_free();
    free(scratch);
    scratch = NULL;
    scratch_size = 0;
}

/* One try of the faulted transaction on a copy of the committed file. */
static void fault_run(struct run *r, const uint8_t *data, size_t size, struct pst_fault *fault, uint64_t txn_rng,
                      unsigned int nops, const struct model *after, int cont, int *committed)
{
    struct pst_allocator alloc;
    struct pst_io *mem, *fio;
    struct pst_file *f;
    unsigned int i;
    char err[256];
    int ret, in_commit = 0, hit, continued = 0;

    *committed = 0;
    if (pst_io_open_memory(data, size, 1, &mem)) abort();
    if (pst_io_open_fault(mem, fault, &fio)) abort();
    pst_fault_allocator(fault, &alloc);
    r->fault = fault;
    r->rng = txn_rng;
    r->op = 0;
    model_copy(&r->cur, &r->base);
    if (!(ret = pst_open_write(fio, &alloc, &r->f, NULL, 0)))
    {
        if (!(ret = pst_begin(r->f)))
        {
            for (i = 0; i < nops && !ret; i++)
                if (!random_op(r)) ret = r->dead ? PST_E_STATE : PST_E_IO;
            if (!ret)
            {
                in_commit = 1;
                ret = pst_commit(r->f);
            }
            if (ret)
            {
                r->abort_reads[0] = fault->reads;
                r->abort_allocs[0] = fault->allocs;
                pst_abort(r->f);
                r->abort_reads[1] = fault->reads;
                r->abort_allocs[1] = fault->allocs;
            }
            if (ret && cont && !r->dead)
            {
                /* the same writer goes on: a new transaction sees the committed
                 * state and commits (unless the writer is broken: close only) */
                int ret2;

                r->fault = NULL;
                ret2 = pst_begin(r->f);
                if (ret2 != PST_E_STATE && call_ok(r, ret2, PST_OK, "pst_begin after pst_abort"))
                {
                    model_copy(&r->cur, &r->base);
                    compare(r, r->f, &r->base, "through the writer after pst_abort");
                    for (i = 0; i < 5 && !r->dead; i++)
                        if (!random_op(r)) break;
                    if (!r->dead && call_ok(r, pst_commit(r->f), PST_OK, "pst_commit after pst_abort")) continued = 1;
                    else pst_abort(r->f);
                    r->reopens++;
                }
                r->fault = fault;
            }
        }
        pst_close(r->f);
        r->f = NULL;
    }
    hit = fault_hit(r);
    r->fault = NULL;
    fio->close(fio);
    if (!ret) *committed = 1;
    else if (!r->dead) mok(hit, "the transaction failed (%s) but the fault did not fire\n", pst_strerror(ret));

    /* recovery, then the committed state (the new one only if the commit
     * got past its commit point) */
    ret = pst_open_write(mem, NULL, &f, err, sizeof(err));
    if (mok(!ret, "recovering write open: %s %s\n", pst_strerror(ret), err)) pst_close(f);
    ret = pst_open(mem, NULL, &f, err, sizeof(err));
    if (mok(!ret, "read-only open: %s %s\n", pst_strerror(ret), err))
    {
        if (*committed) compare(r, f, after ? after : &r->cur, "after the commit");
        else if (continued) compare(r, f, &r->cur, "after the next transaction");
        else if (in_commit)
        {
            r->quiet = 1;
            r->mismatches = 0;
            compare(r, f, &r->base, "after a failed commit");
            r->quiet = 0;
            if (r->mismatches)
            {
                r->commits++;   /* failed after the commit point */
                compare(r, f, after ? after : &r->cur, "after a failed commit");
            }
        }
        else compare(r, f, &r->base, "after a failed transaction");
        pst_close(f);
    }
    mem->close(mem);
}

/* A run up to a committed state, then one mid-size transaction of it
 * replayed with the k-th read, write, flush or allocation failing, for a
 * sweep of k: every time, after pst_abort and reopening, the file holds the
 * last committed state (or, when the commit failed after its commit point,
 * the new one) and checks clean. */
static void test_faults(void)
{
    static const char *const kinds[] = {"read", "write", "flush", "allocation"};
    struct model after = {0};
    struct pst_fault fault;
    char path[512];
    uint64_t txn_rng;
    uint8_t *data = NULL;
    size_t size;
    unsigned int i, kind, total[4], runs = 0, abort_runs = 0, nops = 20, limit = 80;
    int committed;
    struct run r;

    memset(&r, 0, sizeof(r));
    g_run = &r;
    r.seed = r.rng = get_seed();
    r.small = 1;
    trace("seed %llu (PST_MODEL_SEED=%llu replays this run)\n", (unsigned long long)r.seed, (unsigned long long)r.seed);
    snprintf(path, sizeof(path), "%s", tmp_path("faults.pst"));
    if (run_create(&r, path)) goto done;
    for (i = 0; i < 12 && !r.dead; i++) transaction(&r, txn_size(&r), chance(&r, 12), 0);
    if (r.dead) goto done;
    compare(&r, r.f, &r.base, "before the faults");
    pst_close(r.f);
    r.io->close(r.io);
    r.f = NULL;
    r.io = NULL;
    if (!(data = read_file(path, &size)) || r.reported) goto done;

    /* the transaction without faults: the operations to count, the state it commits */
    r.txn++;
    txn_rng = r.rng;
    memset(&fault, 0, sizeof(fault));
    strcpy(r.where, " (no fault)");
    fault_run(&r, data, size, &fault, txn_rng, nops, NULL, 0, &committed);
    if (!mok(committed && !r.dead, "the transaction failed without a fault\n")) goto done;
    model_copy(&after, &r.cur);
    total[0] = fault.reads;
    total[1] = fault.writes;
    total[2] = fault.flushes;
    total[3] = fault.allocs;
    trace("%u operations: %u reads, %u writes, %u flushes, %u allocations\n", nops, total[0], total[1], total[2],
          total[3]);
    for (kind = 0; kind < 4 && !r.reported; kind++)
    {
        unsigned int step = total[kind] > limit ? total[kind] / limit : 1, k, n = 0, commits = 0, late = r.commits;

        for (k = 1; k <= total[kind] && !r.reported; k = k + step > total[kind] && k != total[kind] ? total[kind] : k + step)
        {
            memset(&fault, 0, sizeof(fault));
            if (kind == 0) fault.fail_read = k;
            else if (kind == 1) fault.fail_write = k;
            else if (kind == 2) fault.fail_flush = k;
            else fault.fail_alloc = k;
            snprintf(r.where, sizeof(r.where), ", %s %u of %u failing", kinds[kind], k, total[kind]);
            r.abort_reads[0] = r.abort_reads[1] = r.abort_allocs[0] = r.abort_allocs[1] = 0;
            fault_run(&r, data, size, &fault, txn_rng, nops, &after, n % 3 == 1, &committed);
            commits += committed;
            n++;
            runs++;
            if (kind == 3 || r.reported || n % 4) continue;
            /* the same, and pst_abort failing too (the writer is then broken: close only) */
            if (r.abort_reads[1] > r.abort_reads[0] && kind != 0)
            {
                fault.fail_read = r.abort_reads[0] + 1 + rn(&r, r.abort_reads[1] - r.abort_reads[0]);
                fault.reads = fault.writes = fault.flushes = fault.allocs = 0;
                snprintf(r.where, sizeof(r.where), ", %s %u of %u failing, read %u in pst_abort", kinds[kind], k,
                         total[kind], fault.fail_read);
                fault_run(&r, data, size, &fault, txn_rng, nops, &after, 1, &committed);
                fault.fail_read = 0;
                runs++;
                abort_runs++;
            }
            if (r.abort_allocs[1] > r.abort_allocs[0])
            {
                fault.fail_alloc = r.abort_allocs[0] + 1 + rn(&r, r.abort_allocs[1] - r.abort_allocs[0]);
                fault.reads = fault.writes = fault.flushes = fault.allocs = 0;
                snprintf(r.where, sizeof(r.where), ", %s %u of %u failing, allocation %u in pst_abort", kinds[kind],
                         k, total[kind], fault.fail_alloc);
                fault_run(&r, data, size, &fault, txn_rng, nops, &after, 1, &committed);
                runs++;
                abort_runs++;
            }
        }
        trace("%s faults: %u runs, %u committed, %u failed after the commit point\n", kinds[kind], n, commits,
              r.commits - late);
    }
    trace("%u fault runs, %u of them with pst_abort failing too, %u with the writer going on after pst_abort\n", runs,
          abort_runs, r.reopens);
done:
    model_free(&after);
    run_free(&r);
    free(data);
    unlink(path);
    arena_free();
    free(scratch);
    scratch = NULL;
    scratch_size = 0;
}

static const struct engine_test engine_tests[] =
{
    {"random", test_random},
    {"faults", test_faults},
};

ENGINE_TEST_MAIN
