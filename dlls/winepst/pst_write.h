/*
 * PST engine: writer internals shared by pst_write*.c
 *
 * Copyright 2026 The winemapix project
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 *
 * WRITER DESIGN
 *
 *   The writer keeps the node B-tree and the block B-tree of the state
 *   being built as sorted arrays in memory (loaded from the file when it is
 *   opened for writing), plus two bitmaps of 64-byte slots:
 *     used   slots used by the state being built;
 *     busy   used | slots the last committed state uses.
 *   Space is allocated only where busy is clear, so nothing the committed
 *   state references is overwritten before the header names the new state;
 *   freeing a committed block clears used only, freeing a block written in
 *   the open transaction clears both.  At commit the B-trees are written
 *   incrementally: only the pages holding changed entries and their paths
 *   to the root are written into fresh pages (copy-on-write; the old pages
 *   are freed; struct pst_wbt); then the header (commit point) and the AMap
 *   pages of the ranges that changed, then the header again with fAMapValid
 *   = VALID_AMAP2 (two flushes; commit() in pst_write.c says why they are
 *   enough).  What a commit writes does not depend on the size of the store
 *   or of the folder, and neither, mostly, do its CPU and the memory the
 *   writer keeps (test_write growth measures both):
 *     - a contents table that only gained rows at its end is laid out again
 *       from the layout kept after its last full row-index leaf (struct
 *       pst_wtc_snap); the heap blocks no row goes to any more are sealed
 *       in it and only referenced again (neither copied nor compared nor
 *       kept in memory: pst_w_leaves_write_known), the same for the
 *       matrix blocks before its last one; the rows it covers keep no
 *       cells in memory (pst_wtable_hydrate reads them back when one of
 *       them changes);
 *     - the new XBLOCK of a rewritten data tree takes over the references
 *       of the children it shares with the old one (struct pst_wxfer), and
 *       an XBLOCK whose leaves all stay is kept, so unchanged leaves see no
 *       reference count change;
 *     - bt_update looks only at the dirty leaves (listed by bt_touch) and
 *       their parents; the busy bitmap is brought up to date range by
 *       range; the free-space search, which restarts at the first range
 *       after every commit, starts a request after the leading ranges that
 *       have no free run of its size class (full_below).
 *   What a commit still does per folder or store size: a loop over the
 *   table's heap and matrix leaves (one per 64 rows / about 100 rows of
 *   heap) and the rewrite of the XBLOCK over them (up to 8 KiB), one over
 *   the AMap ranges (finish_amaps, one per 248 KiB of file), one over the
 *   child counts of the level above a changed B-tree leaf, and the
 *   free-space search past full_below, through ranges that hold small
 *   holes (the largest of these).  What the writer keeps per message: its NBT and
 *   BBT entries (24 bytes each, a few per message, in arrays that double),
 *   the table row (id, version, cell pointer: 16 bytes) and two bits per
 *   64 bytes of file.  Moving references from the old tree to the new one
 *   rewrites no B-tree page (invariant 5).
 *
 *   Invariants between calls:
 *     1. bbt is sorted by BID; an entry with cref 0 is deleted (compacted
 *        at a commit once they are a quarter of the array); a live entry's
 *        cref = references + 1, references being NBT entries and internal
 *        blocks naming it.
 *     2. nbt is sorted by NID.
 *     3. used marks exactly the live blocks, the committed B-tree pages
 *        (until commit replaces them), the map pages and the area below the
 *        first AMap; busy is a superset of used.
 *     4. next_bid / next_pid / rgnid are above every ID in use.
 *     5. every change to an nbt / bbt entry marks its leaf in bt dirty,
 *        except a change of a live block's reference count: that one is
 *        noted (crefs) and its leaf marked dirty at commit only if the
 *        count then differs from the one before the transaction.  A table
 *        rewritten over its unchanged leaves (those not moved whole, struct
 *        pst_wxfer) adds a reference to each of them and drops the old
 *        tree's, which leaves every count as it was: marking their leaves
 *        at once would make each commit rebuild and compare a B-tree page
 *        per leaf of every table it touched.
 *     6. every dirty leaf of bt is in its dirty list (or dirty_lost is set);
 *        xfers name only blocks written in the open transaction and their
 *        predecessors, and are settled by the commit.
 *   Nodes the messaging writer changes often (folder PCs and tables, the
 *   name map) are kept decoded in a cache and written at commit
 *   (pst_write_msg.c), so a bulk transaction writes each table once.
 */

#ifndef __WINE_PST_WRITE_H
#define __WINE_PST_WRITE_H

#include "pst_private.h"

struct pst_wcache;

/* The pages of one B-tree as committed, level by level (0 = leaves), in
 * key order; a node's children are the next nchild nodes of the level
 * below (a leaf's: the live entries from key up to the next leaf's key).
 * Changing an entry marks its leaf dirty; a commit rewrites the dirty
 * nodes into fresh pages and so every node on their paths to the root
 * (copy-on-write of those pages only). */
struct pst_wbt_node
{
    uint64_t key;                 /* leaves: lowest key that goes here (the first leaf: 0) */
    uint64_t minkey;              /* first key in the page (its parent entry's key) */
    uint64_t ib, bid;             /* the page */
    uint32_t nchild;              /* entries / child pages in the page */
    int dirty;
};

struct pst_wbt_level
{
    struct pst_wbt_node *v;
    uint32_t count, cap;
};

struct pst_wbt
{
    struct pst_wbt_level lv[PST_MAX_DEPTH];
    uint32_t nlevels;
    uint32_t *dirty;              /* the dirty leaves, in the order they were marked */
    uint32_t dirty_count, dirty_cap;
    int dirty_lost;               /* out of memory for the list: bt_update scans the leaves */
};

struct pst_writer
{
    struct pst_nbt_entry *nbt;
    uint32_t nbt_count, nbt_cap;
    struct pst_bbt_entry *bbt;
    uint32_t bbt_count, bbt_cap, bbt_dead;
    uint32_t bbt_hint;            /* index of the last BBT lookup (bbt_index) */
    uint32_t call_bbt;            /* bbt_count when the current write call began */
    uint64_t *pages;              /* offsets of the committed B-tree pages (while loading) */
    struct pst_wbt bt[2];         /* page structure of the NBT (0) and the BBT (1) */
    uint32_t page_count, page_cap;
    uint8_t *used, *busy;         /* one bit per 64-byte slot, MSB first */
    uint8_t *range_dirty;         /* per AMap range: RANGE_AMAP | RANGE_FREED */
    uint32_t *range_free;         /* free slots of each range as its AMap page was last written */
    uint32_t *range_nofit;        /* two per range (unaligned, page-aligned runs): the smallest run
                                   * a scan of the whole range did not find in busy; 0 = unknown */
    int nofit_stale;              /* busy kept bits used no longer has: reset range_nofit when they go */
    unsigned int unprobed;        /* commits since the last pst_io_readers (release_freed) */
    uint64_t held;                /* committed bytes freed since then, kept busy */
    uint64_t full_below[9];       /* ranges [0, n) have no run of 1 << c slots ([c], c < 8), of a
                                   * page-aligned page ([8]): requests that large start after them */
    int header_unflushed;         /* the last header write (fAMapValid) is not flushed yet */
    uint64_t nslots;              /* slots covered by the bitmaps (eof / 64) */
    uint64_t eof;                 /* ibFileEof of the state being built */
    uint64_t hint[2];             /* first slot worth scanning: small / large runs */
    uint64_t next_bid, next_pid;
    uint32_t rgnid[32];
    uint64_t txn_bid;             /* first BID of the open transaction */
    int in_txn;
    int failed;                   /* the transaction is dead (only abort) */
    int broken;                   /* a commit failed after its commit point: close only */
    struct pst_wcache *cache;     /* decoded nodes, kept across commits (pst_write_msg.c) */
    struct pst_wcref *crefs;      /* reference count changes of live entries, see invariant 5 */
    uint32_t cref_count, cref_cap;
    struct pst_wxfer *xfers;      /* references moving between internal blocks (open transaction) */
    uint32_t xfer_count, xfer_cap;
    struct pst_write_stats stats;
};

/* A new internal block (XBLOCK / XXBLOCK) some of whose children are the
 * children of old, an internal block with a single reference, in the same
 * places: the new block holds references to them that were not added, and
 * the old block, when its last reference goes, does not drop them
 * (whichever of the two goes first leaves the other's references counted).
 * If both still live at commit, the references are added then.  So a
 * table rewritten over unchanged leaves changes no count of them. */
struct pst_wxfer
{
    uint64_t old_bid, new_bid;
    uint32_t count;               /* children of the new block looked at */
    uint8_t *moved;               /* one bit each: this child's reference moved */
};

/* A live BBT entry's reference count before one change in the open
 * transaction; seq orders the changes of one BID. */
struct pst_wcref
{
    uint64_t bid;
    uint32_t seq;
    uint16_t cref;
};

/* The leaves of a data tree as this writer last wrote them (plain bytes),
 * so that rewriting the tree references the leaves that did not change
 * instead of writing them again.  Sound because a BID is never reused and
 * a block never changes: a BID still live in the BBT still holds these
 * bytes.  Dropped at abort (the BIDs of an aborted transaction are issued
 * again). */
struct pst_wleaf
{
    uint64_t bid;
    uint32_t size;
    uint8_t *data;
};

struct pst_wleaves
{
    struct pst_wleaf *v;
    uint32_t count;
    uint64_t *mids;               /* the XBLOCKs over them (more than one leaf) */
    uint32_t nmid;
    uint64_t top;                 /* the tree: an XXBLOCK, the XBLOCK or the leaf */
};

/* Heap block i is one hn_finish changes whatever the allocations in it:
 * block 0 (the heap header's fill levels) or a fill-level bitmap block
 * (a snapshot seals one once every block it covers is sealed). */
static inline int pst_w_heap_block_variable(uint32_t i)
{
    return !i || (i >= 8 && (i - 8) % 128 == 0);
}

void pst_wleaves_free(struct pst_file *file, struct pst_wleaves *prev);

/* pst_write.c */
int pst_w_check(struct pst_file *file);     /* PST_OK if a write call may proceed */
int pst_w_fail(struct pst_file *file, int err);
int pst_w_block_write(struct pst_file *file, const uint8_t *data, size_t cb, int internal, uint64_t *bid);
int pst_w_stream_write(struct pst_file *file, const uint8_t *data, uint64_t size, uint64_t *bid);
int pst_w_leaves_write(struct pst_file *file, uint8_t **bufs, const uint32_t *sizes, uint32_t count, uint64_t *bid);
/* The same, reusing the unchanged leaves of prev (may be NULL), which is
 * then replaced by the leaves of the new tree. */
int pst_w_leaves_write_reuse(struct pst_file *file, uint8_t **bufs, const uint32_t *sizes, uint32_t count,
                             struct pst_wleaves *prev, uint64_t *bid);
/* Whether prev's tree is still live (and so every leaf of it). */
int pst_w_leaves_live(struct pst_file *file, const struct pst_wleaves *prev);
/* Whether leaves [0, count) of prev are live blocks of size bytes. */
int pst_w_leaves_reusable(struct pst_file *file, const struct pst_wleaves *prev, uint32_t count, uint32_t size);
/* The same, the caller vouching that leaves [0, same) (with mask: those of
 * them marked in it) hold the bytes of prev's, so that they are not
 * compared again (their bufs may then be NULL if pst_w_leaves_reusable
 * says they are). */
int pst_w_leaves_write_known(struct pst_file *file, uint8_t **bufs, const uint32_t *sizes, uint32_t count,
                             struct pst_wleaves *prev, uint32_t same, const uint8_t *mask, uint64_t *bid);
int pst_w_subtree_write(struct pst_file *file, struct pst_subnode *entries, uint32_t count, uint64_t *bid);
int pst_w_ref_add(struct pst_file *file, uint64_t bid);
int pst_w_ref_drop(struct pst_file *file, uint64_t bid);
/* Sets (adds or replaces) an NBT entry, moving the block references. */
int pst_w_node_set(struct pst_file *file, uint32_t nid, uint64_t bid_data, uint64_t bid_sub, uint32_t parent);
int pst_w_node_delete(struct pst_file *file, uint32_t nid);
struct pst_nbt_entry *pst_w_node_find(struct pst_file *file, uint32_t nid);
uint32_t pst_w_new_nid(struct pst_file *file, unsigned int type);
/* Sum of the data sizes of a data tree / of all subnode trees below bid_sub. */
int pst_w_tree_size(struct pst_file *file, uint64_t bid_data, uint64_t bid_sub, uint64_t *size);
void pst_w_random(uint8_t *out, size_t size);

/* pst_write_ltp.c: nodes are written whole from these in-memory forms. */

/* A property in its stored encoding (fixed types little-endian); data is
 * owned.  In a table row, tag 0 means the cell does not exist. */
struct pst_wprop
{
    uint32_t tag;
    uint32_t size;
    uint8_t *data;
};

struct pst_wprops
{
    struct pst_wprop *v;          /* sorted by property id, one per id */
    uint32_t count, cap;
};

struct pst_wrow
{
    uint32_t id;
    uint32_t ver;
    struct pst_wprop *cells;      /* one per column */
};

struct pst_wtable
{
    uint32_t ncols;
    struct pst_column *cols;      /* TCINFO order */
    uint16_t end4, end2, end1;    /* end of the 8/4-, 2- and 1-byte groups */
    uint32_t nrows, cap;
    struct pst_wrow *rows;        /* matrix order */
    uint32_t clean;               /* rows [0, clean) unchanged since the last build (pst_wtc_snap) */
    int unsorted;                 /* the rows' ids are not strictly ascending (else found by halving) */
    uint32_t nid;                 /* the table's node, for pst_wtable_hydrate (0: none) */
    uint32_t dry_end;             /* rows [0, dry_end) have no cells (see pst_wtable_hydrate) */
};

/* The state of a contents table's layout after its first rows, kept so
 * that the next layout starts there instead of at row 0 (pst_write_ltp.c). */
struct pst_wtc_snap;
void pst_wtc_snap_free(struct pst_file *file, struct pst_wtc_snap **snap);

/* Stored bytes of a value (fixed types from the union); tmp holds them
 * when they are not in value->bytes. */
int pst_w_value_bytes(const struct pst_value *value, uint8_t tmp[16], const uint8_t **data, size_t *size);
int pst_wprops_set(struct pst_file *file, struct pst_wprops *props, uint32_t tag, const void *data, size_t size);
int pst_wprops_set_value(struct pst_file *file, struct pst_wprops *props, const struct pst_value *value);
int pst_wprops_set_long(struct pst_file *file, struct pst_wprops *props, uint32_t tag, uint32_t value);
void pst_wprops_remove(struct pst_file *file, struct pst_wprops *props, uint32_t tag);
const struct pst_wprop *pst_wprops_find(const struct pst_wprops *props, uint32_t tag);
int pst_wprops_get_long(const struct pst_wprops *props, uint32_t tag, int32_t *value);
void pst_wprops_free(struct pst_file *file, struct pst_wprops *props);
int pst_wprops_copy(struct pst_file *file, struct pst_wprops *dst, const struct pst_wprops *src);
/* Loads a PC (committed or written in this transaction). */
int pst_wprops_load(struct pst_file *file, uint32_t nid, uint64_t bid_data, uint64_t bid_sub, struct pst_wprops *props);

void pst_wtable_free(struct pst_file *file, struct pst_wtable *table);
/* A table built over a snapshot with a node (nid set) keeps no cells for
 * the rows the snapshot covers (memory per row: its id); they are the
 * values of the node as last written, which this reads back when a row
 * before dry_end changes or the table is laid out from scratch.  Call it
 * before reading cells of rows below dry_end. */
int pst_wtable_hydrate(struct pst_file *file, struct pst_wtable *table);
int pst_wtable_load(struct pst_file *file, uint32_t nid, uint64_t bid_data, uint64_t bid_sub, struct pst_wtable *table);
/* Column layout from a template column list (copied). */
int pst_wtable_init(struct pst_file *file, struct pst_wtable *table, const struct pst_column *cols, uint32_t ncols);
int pst_wtable_add_column(struct pst_file *file, struct pst_wtable *table, uint32_t tag);
int pst_wtable_find_column(const struct pst_wtable *table, uint32_t tag);
int pst_wtable_find_row(const struct pst_wtable *table, uint32_t id);
/* Sets row id (added at the end if absent) from props: every column whose
 * tag props has; other cells cleared unless keep_others. */
int pst_wtable_set_row(struct pst_file *file, struct pst_wtable *table, uint32_t id, const struct pst_wprops *props,
                       int keep_others);
void pst_wtable_delete_row(struct pst_file *file, struct pst_wtable *table, uint32_t id);

/* Written node: heap blocks (to pst_w_leaves_write) and the value
 * subnodes it created (already written, unreferenced). */
struct pst_wnode_out
{
    uint8_t **blocks;
    uint32_t *sizes;
    uint32_t nblocks;
    struct pst_subnode *subs;
    uint32_t nsubs, cap_subs;
    uint32_t same_blocks;         /* leading heap blocks as the previous build laid them out (see
                                   * pst_w_tc_build_reuse and pst_w_leaves_write_known) */
    uint8_t *borrowed;            /* per block: lent by a table snapshot, not freed with out */
};
void pst_wnode_out_free(struct pst_file *file, struct pst_wnode_out *out);
/* dry: lay the heap out without writing value subnodes (to measure it). */
int pst_w_pc_build(struct pst_file *file, const struct pst_wprops *props, uint32_t sub_base, int dry,
                   struct pst_wnode_out *out);
int pst_w_tc_build(struct pst_file *file, const struct pst_wtable *table, struct pst_wnode_out *out);
/* With matrix_prev: the row matrix subnode reuses its unchanged blocks;
 * heap_prev is what the heap will be written over (pst_w_node_write_reuse):
 * the blocks a snapshot sealed are only referenced again, so the snapshot
 * is used only if they are all still there. */
int pst_w_tc_build_reuse(struct pst_file *file, struct pst_wtable *table, struct pst_wleaves *matrix_prev,
                         struct pst_wleaves *heap_prev, struct pst_wtc_snap **snap, struct pst_wnode_out *out);
/* Writes out's heap and, with extra subnodes (referenced anew), its
 * subnode tree. */
int pst_w_node_write(struct pst_file *file, struct pst_wnode_out *out, const struct pst_subnode *extra,
                     uint32_t nextra, uint64_t *bid_data, uint64_t *bid_sub);
/* With heap_prev: the heap reuses its unchanged blocks. */
int pst_w_node_write_reuse(struct pst_file *file, struct pst_wnode_out *out, const struct pst_subnode *extra,
                           uint32_t nextra, struct pst_wleaves *heap_prev, uint64_t *bid_data, uint64_t *bid_sub);

/* pst_write_msg.c */
int pst_wcache_flush(struct pst_file *file);
void pst_wcache_free(struct pst_file *file);
int pst_w_create_store(struct pst_file *file, const struct pst_create_params *params);

#endif /* __WINE_PST_WRITE_H */
