/*
 * PST engine: internal declarations shared by the pst_*.c files
 *
 * Copyright 2026 The winemapix authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 *
 * ON-DISK FORMAT (the NDB layer, [MS-PST] 2.2; U = Unicode, A = ANSI)
 *
 *   header @0      U: 564 bytes, A: 512 bytes; see pst_ndb.c for offsets.
 *                  dwCRCPartial = CRC of 471 bytes from 8; U also has
 *                  dwCRCFull @524 = CRC of 516 bytes from 8.
 *   CRC            CRC-32 table (poly 0xEDB88320, reflected), initial value
 *                  0, no final XOR.
 *   page           512 bytes, 512-aligned, trailer at the end:
 *                  U @496: ptype ptypeRepeat wSig(2) dwCRC(4) bid(8)
 *                  A @500: ptype ptypeRepeat wSig(2) bid(4) dwCRC(4)
 *                  dwCRC covers the bytes before the trailer.
 *   BT page        entries @0 (U 488 bytes, A 496), then cEnt cEntMax cbEnt
 *                  cLevel.  U entries: BTENTRY key(8) bref(16), BBTENTRY
 *                  bref(16) cb(2) cRef(2) pad(4), NBTENTRY nid(8) bidData(8)
 *                  bidSub(8) nidParent(4) pad(4).  A: 4-byte ids, no pad.
 *   block          cb data bytes, padding to 64, trailer:
 *                  U 16: cb(2) wSig(2) dwCRC(4) bid(8); A 12: cb wSig bid(4) dwCRC
 *                  at most 8192 bytes in all.  External (data) blocks are
 *                  encoded by bCryptMethod; internal blocks (bid & 2) never.
 *   XBLOCK         btype 1, cLevel 1 (XXBLOCK: 2), cEnt(2), lcbTotal(4), bids
 *   SLBLOCK        btype 2, cLevel 0, cEnt(2), [U: pad(4)], {nid bidData bidSub}
 *   SIBLOCK        btype 2, cLevel 1, cEnt(2), [U: pad(4)], {nid bid}
 *   signature      wSig = (x >> 16 ^ x) & 0xffff with x = ib ^ bid
 *
 * Invariants: every function that takes data from the file checks it
 * against the file size (pst_file.size) and the caps below before use;
 * recursion is bounded by PST_MAX_DEPTH.
 */

#ifndef __WINE_PST_PRIVATE_H
#define __WINE_PST_PRIVATE_H

#include <stdarg.h>
#include <string.h>
#include "pst.h"

#ifdef _WIN32
#include "wine/debug.h"
#else
#define TRACE(...) do { } while (0)
#define WARN(...) do { } while (0)
#define ERR(...) do { } while (0)
#define WINE_DEFAULT_DEBUG_CHANNEL(ch) struct pst_dummy_debug_channel_##ch
#define debugstr_a(s) (s)
#endif

#define PST_PAGE_SIZE       512
#define PST_MAX_BLOCK       8192
#define PST_MAX_DEPTH       16        /* B-tree, block tree and BTH levels */
#define PST_FIRST_AMAP      0x4400
#define PST_AMAP_STRIDE     (496u * 8 * 64)
#define PST_DLIST_OFFSET    0x4200

#define PST_PTYPE_BBT       0x80
#define PST_PTYPE_NBT       0x81
#define PST_PTYPE_FMAP      0x82
#define PST_PTYPE_PMAP      0x83
#define PST_PTYPE_AMAP      0x84
#define PST_PTYPE_FPMAP     0x85
#define PST_PTYPE_DLIST     0x86

#define PST_CRYPT_NONE      0
#define PST_CRYPT_PERMUTE   1
#define PST_CRYPT_CYCLIC    2

/* direct-mapped by page offset: opening messages one after the other
 * walks NBT and BBT leaves side by side, which 64 slots kept evicting (and
 * re-verifying) */
#define PST_PAGE_CACHE      256
#define PST_BLOCK_CACHE     32        /* slots of PST_MAX_BLOCK bytes: 256 KiB a file */

struct pst_page_cache_entry
{
    uint64_t ib;                  /* ~0 when empty */
    uint8_t data[PST_PAGE_SIZE];
};

/* A slot of the block cache (pst_ndb.c): one block read from the file,
 * its trailer, signature and CRC verified, decoded.  Blocks are read into
 * the slots themselves, so a block is verified and decoded exactly once
 * per fill, in place.
 *
 * Why a block can be kept: a BID names one content for good once a commit
 * has made it part of the file.  The writer (pst_write.c) never rewrites a
 * block in place: pst_w_block_write gives every block a fresh BID from
 * next_bid, which only grows (writer_load starts it above the header's
 * bidNextB and every BID in the BBT, commit stores it in the header), and a
 * freed block's space is reused only under another BID.  The one exception
 * is pst_abort: it reloads next_bid from the header, so the BIDs of the
 * aborted transaction are issued again, possibly at the same offsets with
 * other bytes.  Hence a slot is found by lookups (cacheable) only if it
 * was read without a writer, or its BID is below the committed bidNextB
 * (file->info.next_bid), which every block of an open transaction is
 * above; and the whole cache is dropped when a commit changes the BBT root
 * (file->bbt_ib), so no lookup can return a block read before a commit.
 * The key also holds the offset and size from the BBT entry. */
struct pst_block_slot
{
    uint64_t bid;                 /* 0 when empty */
    uint64_t ib;
    uint32_t size;                /* cb: bytes of data */
    int cacheable;                /* may be returned to later lookups */
    uint64_t serial;              /* changes whenever data changes (0 = never filled) */
    uint64_t stamp;               /* last use, for LRU eviction */
    uint8_t *data;                /* PST_MAX_BLOCK bytes, allocated on first fill */
};

struct pst_file
{
    struct pst_io *io;            /* not owned */
    struct pst_allocator alloc;
    uint64_t size;                /* size of the io at open */
    int unicode;                  /* 1 for wVer 23, 0 for ANSI */
    struct pst_file_info info;
    uint8_t header[564];
    uint64_t nbt_bid, nbt_ib, bbt_bid, bbt_ib;
    uint32_t rgnid[32];
    /* format-dependent sizes, set at open */
    unsigned int id_size;         /* 8 or 4: BID / IB size */
    unsigned int page_data;       /* bytes before the page trailer: 496 / 500 */
    unsigned int bt_entries;      /* bytes of BT entries: 488 / 496 */
    unsigned int block_trailer;   /* 16 / 12 */
    unsigned int max_block_data;  /* 8176 / 8180 */
    unsigned int nbt_entry, bbt_entry, bt_entry;
    char error[512];
    struct pst_page_cache_entry *cache;   /* PST_PAGE_CACHE verified pages */
    struct pst_block_slot *blocks;        /* PST_BLOCK_CACHE slots, allocated on first block read */
    uint64_t block_root;          /* bbt_ib the block cache was filled under */
    uint64_t block_clock;         /* LRU clock and serial source */
    struct pst_writer *writer;    /* set while open for writing (pst_write.c) */
};

/* ---- utilities (pst_util.c) ---- */
void *pst_alloc(struct pst_file *file, size_t size);
void *pst_zalloc(struct pst_file *file, size_t size);
void *pst_realloc(struct pst_file *file, void *ptr, size_t size);
void pst_free(struct pst_file *file, void *ptr);
/* Records an error message (printf-style) and returns err. */
int pst_error(struct pst_file *file, int err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
int pst_vsnprintf(char *buf, size_t size, const char *fmt, va_list args);
int pst_snprintf(char *buf, size_t size, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static inline uint16_t pst_rd16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t pst_rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static inline uint64_t pst_rd64(const uint8_t *p)
{
    return (uint64_t)pst_rd32(p) | ((uint64_t)pst_rd32(p + 4) << 32);
}

static inline void pst_wr32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* A BID or IB field: 8 bytes in Unicode, 4 in ANSI. */
static inline uint64_t pst_rdid(const struct pst_file *file, const uint8_t *p)
{
    return file->unicode ? pst_rd64(p) : pst_rd32(p);
}

/* ---- tables and encodings (pst_crypt.c, pst_tables.c) ---- */
extern const uint8_t pst_permute_table[768];
extern const uint32_t pst_crc_table[8][256];    /* [0] bytewise, [1..7] slicing-by-8 */
uint32_t pst_crc32(uint32_t crc, const void *data, size_t len);
/* The same CRC one byte at a time (the definition, for the tests). */
uint32_t pst_crc32_bytewise(uint32_t crc, const void *data, size_t len);
uint16_t pst_compute_sig(uint64_t ib, uint64_t bid);
void pst_permute_encode(uint8_t *data, size_t len);
void pst_permute_decode(uint8_t *data, size_t len);
/* Cyclic encoding is its own inverse. */
void pst_cyclic(uint8_t *data, size_t len, uint32_t key);

/* ---- ndb (pst_ndb.c) ---- */
struct pst_bbt_entry
{
    uint64_t bid;
    uint64_t ib;
    uint16_t cb;
    uint16_t cref;
};

struct pst_nbt_entry
{
    uint32_t nid;
    uint64_t bid_data;
    uint64_t bid_sub;
    uint32_t nid_parent;
};

/* Entry decoding for the page formats above. */
void pst_parse_nbt_entry(const struct pst_file *file, const uint8_t *p, struct pst_nbt_entry *e);
void pst_parse_bbt_entry(const struct pst_file *file, const uint8_t *p, struct pst_bbt_entry *e);
void pst_parse_bt_entry(const struct pst_file *file, const uint8_t *p, uint64_t *key, uint64_t *bid,
                        uint64_t *ib);
/* Page trailer fields. */
struct pst_page_trailer
{
    uint8_t ptype;
    uint8_t ptype_repeat;
    uint16_t sig;
    uint32_t crc;
    uint64_t bid;
};
void pst_parse_page_trailer(const struct pst_file *file, const uint8_t *page, struct pst_page_trailer *t);
/* Reads 512 bytes at ib (bounds and alignment checked, nothing else). */
int pst_page_read_raw(struct pst_file *file, uint64_t ib, uint8_t *page);
/* Reads one verified page (CRC, ptype, trailer bid; wSig for B-tree pages). */
int pst_page_read(struct pst_file *file, uint64_t ib, uint64_t bid, uint8_t ptype, uint8_t *page);
int pst_nbt_lookup(struct pst_file *file, uint32_t nid, struct pst_nbt_entry *entry);
int pst_bbt_lookup(struct pst_file *file, uint64_t bid, struct pst_bbt_entry *entry);
int pst_nbt_foreach(struct pst_file *file, int (*cb)(void *ctx, const struct pst_nbt_entry *e), void *ctx);
/* Reads a block: verifies trailer, signature and CRC, decodes external
 * blocks.  *data is allocated with pst_alloc.  Served from the block cache
 * when it holds the block (verified when it was read). */
int pst_block_read(struct pst_file *file, uint64_t bid, uint8_t **data, size_t *size);
/* Same from a known BBT entry, always from the file, never cached (the
 * checker reads blocks it found by walking; decode 0 gives raw bytes). */
int pst_block_read_entry(struct pst_file *file, const struct pst_bbt_entry *entry, int decode,
                         uint8_t **data, size_t *size);

/* A node's data tree flattened to its leaf blocks. */
struct pst_dtree
{
    uint64_t total;
    uint32_t count;
    uint64_t *bids;
    uint64_t *offsets;        /* offset of each leaf in the stream */
    uint32_t *sizes;
    /* the last leaf read: its slot in the block cache, valid while that
     * slot's serial is unchanged (so sequential reads skip the BBT) */
    uint32_t cached;          /* index of that leaf or ~0 */
    uint32_t slot;
    uint64_t serial;
};
int pst_dtree_load(struct pst_file *file, uint64_t bid, struct pst_dtree *tree);
/* Reads leaf index; the pointer is into the block cache, valid until the
 * next block read on this file: copy what you need at once. */
int pst_dtree_leaf(struct pst_file *file, struct pst_dtree *tree, uint32_t index,
                   const uint8_t **data, size_t *size);
int pst_dtree_read(struct pst_file *file, struct pst_dtree *tree, uint64_t offset, void *buf,
                   size_t len, size_t *got);
void pst_dtree_free(struct pst_file *file, struct pst_dtree *tree);

struct pst_subnode
{
    uint32_t nid;
    uint64_t bid_data;
    uint64_t bid_sub;
};
int pst_subnode_lookup(struct pst_file *file, uint64_t bid_sub, uint32_t nid, struct pst_subnode *out);
int pst_subnode_foreach(struct pst_file *file, uint64_t bid_sub,
                        int (*cb)(void *ctx, const struct pst_subnode *s), void *ctx);

/* ---- ltp (pst_ltp.c) ---- */
/* A heap-on-node.  Its blocks are read, verified and checked on first use
 * (pst_hn_get), so opening a large table reads only the blocks it needs;
 * once read, a block stays until pst_hn_free (values point into it). */
struct pst_hn
{
    struct pst_file *file;
    uint32_t nid;
    uint32_t count;           /* blocks */
    uint8_t **blocks;         /* NULL until read */
    uint32_t *sizes;          /* from the data tree (BBT cb), known at open */
    uint64_t *bids;
    uint8_t client_sig;
    uint32_t hid_user_root;
};
/* Opens a heap reading only its first block. */
int pst_hn_open(struct pst_file *file, uint64_t bid_data, uint32_t nid, struct pst_hn *hn);
/* Opens a heap and reads and checks every block now (the checker). */
int pst_hn_load(struct pst_file *file, uint64_t bid_data, uint32_t nid, struct pst_hn *hn);
int pst_hn_get(struct pst_hn *hn, uint32_t hid, const uint8_t **data, size_t *size);
void pst_hn_free(struct pst_hn *hn);

struct pst_bth
{
    struct pst_hn *hn;
    uint8_t cb_key;
    uint8_t cb_ent;
    uint8_t levels;
    uint32_t hid_root;
};
int pst_bth_open(struct pst_hn *hn, uint32_t hid, struct pst_bth *bth);
/* Collects all leaf records (key + data) in tree order into a fresh array
 * of count * (cb_key + cb_ent) bytes. */
int pst_bth_collect(struct pst_bth *bth, uint8_t **records, uint32_t *count);

struct pst_pc_record
{
    uint16_t id;
    uint16_t type;
    uint32_t hnid;
};

struct pst_loaded
{
    struct pst_loaded *next;
    uint8_t data[1];
};

struct pst_object
{
    struct pst_file *file;
    enum pst_object_kind kind;
    uint32_t nid;
    uint32_t nid_parent;          /* from the NBT (pst_object_open), else 0 */
    uint64_t bid_data;
    uint64_t bid_sub;
    struct pst_hn hn;
    uint32_t count;
    struct pst_pc_record *records;
    struct pst_loaded *loaded;    /* subnode values handed out, freed at close */
};

/* Opens a PC from a (data, subnode) pair. */
int pst_object_load(struct pst_file *file, uint32_t nid, uint64_t bid_data, uint64_t bid_sub,
                    enum pst_object_kind kind, struct pst_object **obj);
int pst_table_load(struct pst_file *file, uint32_t nid, uint64_t bid_data, uint64_t bid_sub,
                   struct pst_table **table);
/* Size of a fixed-size property type (0 for variable, ~0u for unknown). */
unsigned int pst_type_fixed_size(uint16_t type);

/* ---- writer (pst_write.c): while file->writer is set, NBT and BBT lookups
 * go to the writer's in-memory copies, which hold the open transaction's
 * state (or the committed state between transactions). ---- */
int pst_writer_nbt_lookup(struct pst_file *file, uint32_t nid, struct pst_nbt_entry *entry);
int pst_writer_bbt_lookup(struct pst_file *file, uint64_t bid, struct pst_bbt_entry *entry);
int pst_writer_nbt_foreach(struct pst_file *file, int (*cb)(void *ctx, const struct pst_nbt_entry *e), void *ctx);
void pst_writer_free(struct pst_file *file);
/* Value decoding shared with the writer (pst_ltp.c). */
int pst_value_from_bytes(struct pst_file *file, uint32_t tag, const uint8_t *data, size_t size,
                         struct pst_value *value);

/* ---- checker helpers ---- */
struct pst_table_internal
{
    uint32_t row_index_count;
    uint32_t matrix_rows;
};
void pst_table_internal_info(const struct pst_table *table, struct pst_table_internal *info);

/* pst_io.c: nonzero when a reader in another process has the file of IO (a
 * writable file io) open; the writer then keeps what its commits free from
 * reuse, so that the state the reader opened stays readable. */
int pst_io_readers(struct pst_io *io);

#endif /* __WINE_PST_PRIVATE_H */
