/*
 * winepst: declarations shared by the COM layer of the PST store provider
 *
 * Copyright 2026 The winemapix authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 *
 * This library is distributed in the hope that it will be useful,
 * but WITHOUT ANY WARRANTY; without even the implied warranty of
 * MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the GNU
 * Lesser General Public License for more details.
 *
 * You should have received a copy of the GNU Lesser General Public
 * License along with this library; if not, write to the Free Software
 * Foundation, Inc., 51 Franklin St, Fifth Floor, Boston, MA 02110-1301, USA
 */

/*
 * OBJECT LIFETIMES (see shared/spec/mapi-logoff.md)
 *
 * provider  One per MSProviderInit call (one per MAPI session).  Holds the
 *           MAPI allocators, the IMalloc and the list of its open stores.
 *
 * store     One per store logon: a struct store_logon carrying the IMSLogon
 *           MAPI holds and, in a separate allocation, the IMsgStore clients
 *           hold.  The two counts are separate (R3.6): clients releasing the
 *           store is what starts the teardown while MAPI still holds the
 *           logon.
 *
 * children  Folders, messages, attachments, tables and streams opened from
 *           a store.  Each starts with a struct store_child linked into its
 *           logon's list and holding an internal reference on the logon, so
 *           the logon's memory outlives every child.
 *
 * The logon dies (store_logon_invalidate) exactly once, on the first of:
 * the store's final Release, IMSLogon::Logoff, IMSLogon's final Release, or
 * IMSProvider::Shutdown.  Dying means: report the saved StoreLogoff flags
 * to MAPI, mark every child and the store invalid (their methods answer
 * MAPI_E_INVALID_OBJECT from then on, except AddRef and Release), close the
 * PST file (everything committed is already on disk; uncommitted changes of
 * open objects are discarded), and release the support object last.
 * Memory goes when the last reference of each object goes.
 *
 * LOCKING  Each logon has one critical section guarding its PST file, its
 * child list and its state.  It is never held across a call into MAPI (the
 * support object, advise sinks), because those calls come back into us.
 */

#ifndef __WINE_WINEPST_PRIVATE_H
#define __WINE_WINEPST_PRIVATE_H

#include <stdarg.h>

#define COBJMACROS
#include "windef.h"
#include "winbase.h"
#include "objbase.h"
#include "mapidefs.h"
#include "mapicode.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "mapispi.h"
#include "mapiadmin.h"

#include "wine/list.h"
#include "pst.h"

extern HINSTANCE pst_instance;
/* live COM objects of this DLL, for DllCanUnloadNow */
extern LONG pst_object_count;

/* Profile section properties of the PST service, as Outlook defines them */
#define PR_PST_PATH            PROP_TAG(PT_STRING8, 0x6700)
#define PR_PST_PATH_W          PROP_TAG(PT_UNICODE, 0x6700)
#define PR_PST_REMEMBER_PW     PROP_TAG(PT_BOOLEAN, 0x6701)
#define PR_PST_ENCRYPTION      PROP_TAG(PT_LONG, 0x6702)
#define PR_PST_PW_SZ_OLD       PROP_TAG(PT_STRING8, 0x6703)
#define PR_PST_PW_SZ_OLD_W     PROP_TAG(PT_UNICODE, 0x6703)
#define PR_PST_PW_SZ_NEW       PROP_TAG(PT_STRING8, 0x6704)
#define PR_PST_PW_SZ_NEW_W     PROP_TAG(PT_UNICODE, 0x6704)
#define PSTF_NO_ENCRYPTION            0x80000000
#define PSTF_COMPRESSABLE_ENCRYPTION  0x40000000
#define PSTF_BEST_ENCRYPTION          0x20000000

/* The MAPI allocators a provider got from MSProviderInit */
struct mapi_allocators
{
    LPALLOCATEBUFFER allocate_buffer;
    LPALLOCATEMORE allocate_more;
    LPFREEBUFFER free_buffer;
};

struct provider
{
    IMSProvider IMSProvider_iface;
    LONG refcount;
    CRITICAL_SECTION cs;
    struct mapi_allocators alloc;
    IMalloc *malloc;
    struct list logons;        /* struct store_logon.entry, open stores only */
    BOOL shut_down;
};

enum store_state
{
    STORE_ACTIVE,              /* serving calls */
    STORE_DEAD                 /* invalidated: every call but AddRef/Release fails */
};

struct store_logon
{
    IMSLogon IMSLogon_iface;
    LONG logon_refcount;       /* MAPI's references to IMSLogon */
    LONG internal_refcount;    /* one each: IMSLogon alive, IMsgStore alive, every child */
    struct store *store;       /* the IMsgStore half, NULL once it is freed */
    struct list entry;         /* in provider->logons while ACTIVE */
    struct provider *provider;
    struct mapi_allocators alloc;
    CRITICAL_SECTION cs;
    enum store_state state;
    BOOL logged_off;           /* IMSLogon::Logoff ran */
    IMAPISupport *support;     /* our reference, released last when dying */
    ULONG logoff_flags;        /* saved by StoreLogoff; LOGOFF_ABORT until then */
    struct pst_file *file;
    struct pst_io *io;
    BYTE uid[16];              /* the store's record key: the MAPIUID of its entry IDs */
    WCHAR *path;
    WCHAR *display_name;
    ULONG logon_flags;         /* IMSProvider::Logon flags (MDB_*) */
    struct list children;      /* struct store_child.entry */
    MAPIERROR *last_error;
    BOOL writable;             /* the file is open for writing (one writer per file) */
    ULONG generation;          /* bumped by every commit: engine handles of older ones are stale */
};

struct store
{
    IMsgStore IMsgStore_iface;
    LONG refcount;
    struct store_logon *logon;
    BOOL logged_off;           /* StoreLogoff ran: only Release is left */
};

/* Common head of every object opened from a store. */
struct store_child
{
    struct list entry;         /* in logon->children */
    struct store_logon *logon; /* holds an internal reference */
    BOOL dead;
    void (*invalidate)(struct store_child *child);  /* drop engine resources; lock held */
};

/* provider.c */
extern const MAPIUID winepst_provider_uid;

/* store.c */
extern HRESULT store_logon_create( struct provider *provider, IMAPISupport *support, const WCHAR *path,
                                   ULONG flags, struct store_logon **out );
extern struct store_logon *provider_find_open_store( struct provider *provider, const WCHAR *path );
extern void store_logon_invalidate( struct store_logon *logon );
extern void store_logon_addref_internal( struct store_logon *logon );
extern void store_logon_release_internal( struct store_logon *logon );
/* entryid.c */
extern HRESULT store_entryid_build( const struct store_logon *logon, const struct mapi_allocators *alloc,
                                    void *parent, ULONG *size, ENTRYID **entryid );
extern HRESULT store_entryid_parse( ULONG size, const ENTRYID *entryid, BYTE uid[16], const WCHAR **path );
/* store.c */
/* Runs one write transaction on the logon's file: WRITE gets the file and
 * CONTEXT between pst_begin and pst_commit (pst_abort on failure); the
 * generation moves on after a commit.  Lock held by the caller. */
extern HRESULT store_logon_transact( struct store_logon *logon, int (*write)(struct pst_file *file, void *context),
                                     void *context );

/* Enter a child's logon; FALSE (and nothing held) when it is invalid. */
extern BOOL store_child_enter( struct store_child *child );
extern void store_child_leave( struct store_child *child );
extern void store_child_init( struct store_child *child, struct store_logon *logon,
                              void (*invalidate)(struct store_child *child) );
/* Unlinks a child being freed; call with no lock held. */
extern void store_child_destroy( struct store_child *child );

/* status.c: the store's status object and status table row (lock not held) */
extern HRESULT status_open( struct store_logon *logon, IMAPISupport *support, IMAPIStatus **out );
extern void status_row_add( struct store_logon *logon );
extern void status_row_update( struct store_logon *logon );
/* PST passwords, as 8-bit characters (MAPI's are ANSI or MAPI_UNICODE; NULL
 * is ""): password_verify answers MAPI_E_NO_ACCESS for a wrong one (an
 * unprotected file takes ""); password_write is a write transaction step
 * setting CONTEXT, a char *, as the password ("" removes it). */
extern char *password_to_ansi( const void *password, BOOL unicode );
extern HRESULT password_verify( struct pst_file *file, const char *password );
extern int password_write( struct pst_file *file, void *context );

/* props.c: engine values as MAPI properties, and the transacted changes
 * of an open object.  COMPUTED values (PR_ENTRYID, PR_OBJECT_TYPE ...)
 * extend and override what the file stores. */
extern HRESULT props_convert_value( const struct mapi_allocators *alloc, void *parent,
                                    const struct pst_value *value, ULONG tag, BOOL unicode, SPropValue *out );
extern HRESULT props_get( const struct mapi_allocators *alloc, struct pst_object *obj,
                          const SPropValue *computed, ULONG computed_count, SPropTagArray *tags, ULONG flags,
                          ULONG *count, SPropValue **props );
extern HRESULT props_get_list( const struct mapi_allocators *alloc, struct pst_object *obj,
                               const SPropValue *computed, ULONG computed_count, ULONG flags,
                               SPropTagArray **tags );
/* Values bigger than this (stored bytes) are PT_ERROR / MAPI_E_NOT_ENOUGH_MEMORY
 * in GetProps: the client opens them with OpenProperty. */
#define PROPS_MAX_VALUE (1024 * 1024)
/* Named properties over the store's name-to-ID map; logon lock held. */
extern HRESULT props_get_ids_from_names( struct store_logon *logon, ULONG count, MAPINAMEID **names, ULONG flags,
                                         SPropTagArray **tags );
extern HRESULT props_get_names_from_ids( struct store_logon *logon, SPropTagArray **tags, GUID *guid, ULONG flags,
                                         ULONG *count, MAPINAMEID ***names );

/* folder.c */
extern HRESULT folder_open( struct store_logon *logon, uint32_t nid, ULONG flags, IMAPIFolder **out );
/* A client's IMAPITable over a view of DATA (the caller keeps its own
 * reference): a store child that drops view and data when the logon dies. */
extern HRESULT table_view_create( struct store_logon *logon, ITableData *data, IMAPITable **out );
/* An IMAPITable that hands calls on to another one: table views hand all
 * of them to their winemapix view, contents tables (contents.c) those only
 * their snapshot answers.  TARGET gives that table with a reference of the
 * caller's, or the error for the client.  The table_forward_* methods are
 * the vtbl entries that do nothing else. */
struct table_forward
{
    IMAPITable IMAPITable_iface;
    HRESULT (*target)( struct table_forward *forward, IMAPITable **target );
};
extern HRESULT WINAPI table_forward_Advise( IMAPITable *iface, ULONG mask, IMAPIAdviseSink *sink, ULONG *connection );
extern HRESULT WINAPI table_forward_Unadvise( IMAPITable *iface, ULONG connection );
extern HRESULT WINAPI table_forward_FindRow( IMAPITable *iface, SRestriction *res, BOOKMARK origin, ULONG flags );
extern HRESULT WINAPI table_forward_CreateBookmark( IMAPITable *iface, BOOKMARK *bookmark );
extern HRESULT WINAPI table_forward_FreeBookmark( IMAPITable *iface, BOOKMARK bookmark );
extern HRESULT WINAPI table_forward_ExpandRow( IMAPITable *iface, ULONG key_size, BYTE *key, ULONG count,
                                               ULONG flags, SRowSet **rows, ULONG *more );
extern HRESULT WINAPI table_forward_CollapseRow( IMAPITable *iface, ULONG key_size, BYTE *key, ULONG flags,
                                                 ULONG *count );
extern HRESULT WINAPI table_forward_WaitForCompletion( IMAPITable *iface, ULONG flags, ULONG timeout, ULONG *status );
extern HRESULT WINAPI table_forward_GetCollapseState( IMAPITable *iface, ULONG flags, ULONG key_size, BYTE *key,
                                                      ULONG *state_size, BYTE **state );
extern HRESULT WINAPI table_forward_SetCollapseState( IMAPITable *iface, ULONG flags, ULONG state_size, BYTE *state,
                                                      BOOKMARK *location );
/* What a client set on a table view (NULL: nothing set), for handing an
 * engine-backed contents table over to a snapshot. */
struct table_state
{
    const SPropTagArray *columns;
    const SRestriction *res;
    const SSortOrderSet *sort;
    ULONG cursor;
};
/* A snapshot hierarchy or contents table of FOLDER_NID in STATE (NULL: a
 * new one); lock held. */
extern HRESULT folder_snapshot_table( struct store_logon *logon, uint32_t folder_nid, BOOL hierarchy, ULONG flags,
                                      const ENTRYID *store_entryid, ULONG store_entryid_size,
                                      const struct table_state *state, IMAPITable **out );
/* contents.c: an engine-backed contents table of FOLDER_NID, or S_FALSE when
 * the folder needs the snapshot; lock held. */
extern HRESULT contents_table_create( struct store_logon *logon, uint32_t folder_nid, ULONG flags,
                                      const ENTRYID *store_entryid, ULONG store_entryid_size, IMAPITable **out );
/* Hands every engine-backed contents table of the logon over to a snapshot
 * before a write: the snapshot's row-by-row catch-up then gives the same
 * rows, cursor and notifications as before.  Lock held. */
extern void contents_tables_freeze( struct store_logon *logon );
/* OpenEntry of the store, IMSLogon and folders; logon lock held.  A NULL
 * entry ID opens default_nid, or the root folder when that is 0. */
extern HRESULT logon_open_entry( struct store_logon *logon, ULONG entry_size, const ENTRYID *entry,
                                 uint32_t default_nid, const IID *iid, ULONG flags, ULONG *obj_type,
                                 IUnknown **unk );
/* Brings every open hierarchy/contents table of the logon up to the last
 * commit (row notifications to their sinks); call with no lock held after a
 * commit.  Tables also catch up by themselves at their next call. */
extern void folder_tables_refresh( struct store_logon *logon );

/* notify.c: object notifications of one committed change.  Add events with
 * the lock held, notify_prepare before leaving it, notify_send after. */
struct notify_event
{
    ULONG event;               /* fnevObjectCreated ... */
    ULONG type;                /* MAPI_FOLDER, MAPI_MESSAGE */
    uint32_t nid, parent, old_nid, old_parent;   /* 0: absent */
};
struct notify_batch
{
    struct store_logon *logon;
    IMAPISupport *support;
    struct notify_event *events;
    ULONG count, capacity;
};
extern void notify_init( struct notify_batch *batch, struct store_logon *logon );
extern void notify_add( struct notify_batch *batch, ULONG event, ULONG type, uint32_t nid, uint32_t parent,
                        uint32_t old_nid, uint32_t old_parent );
extern void notify_prepare( struct notify_batch *batch );
extern void notify_send( struct notify_batch *batch );
/* store.c: the store's entry ID wrapped by MAPI (IMAPISupport::WrapStoreEntryID),
 * freed with logon->alloc.free_buffer.  Call with no lock held. */
extern HRESULT store_wrapped_entryid( struct store_logon *logon, ULONG *size, ENTRYID **entryid );

/* message.c */
#ifndef SPAMFILTER_ONSAVE
#define SPAMFILTER_ONSAVE      0x00000080
#define NON_EMS_XP_SAVE        0x00001000
#endif
#ifndef FORCE_SUBMIT
#define FORCE_SUBMIT           0x00000001
#endif
#ifndef SUPPRESS_RECEIPT
#define SUPPRESS_RECEIPT       0x00000001
#define CLEAR_READ_FLAG        0x00000004
#define GENERATE_RECEIPT_ONLY  0x00000010
#define CLEAR_RN_PENDING       0x00000020
#define CLEAR_NRN_PENDING      0x00000040
#endif
extern HRESULT message_open( struct store_logon *logon, uint32_t nid, ULONG flags, IMessage **out );
/* A new, unsaved message in folder FOLDER_NID (FAI if ASSOC): it gets its
 * node at its first SaveChanges (folder.c's CreateMessage).  Lock not held. */
extern HRESULT message_create( struct store_logon *logon, uint32_t folder_nid, BOOL assoc, ULONG flags,
                               IMessage **out );
/* The embedded message of attachment ATTACH, found at ATTACH_PATH (lock held). */
struct object_path;
extern HRESULT message_open_embedded( struct store_logon *logon, struct pst_object *attach,
                                      const struct object_path *attach_path, IMessage **out );
/* IMAPIProp::CopyTo (copy_props FALSE) and CopyProps of messages, attachments
 * and folders: the documented checks, then the support object's DoCopyTo /
 * DoCopyProps.  SRC_IID: the source's own interface; WRITABLE: MAPI_MOVE may
 * take values out of it.  No lock held. */
struct copy_args
{
    ULONG exclude_count;
    const IID *exclude_iids;
    SPropTagArray *exclude_props;
    SPropTagArray *include_props;
    BOOL copy_props;
    ULONG_PTR ui_param;
    IMAPIProgress *progress;
    const IID *iid;
    void *dest;
    ULONG flags;
    SPropProblemArray **problems;
};
extern HRESULT copy_through_support( IMAPISupport *support, const struct mapi_allocators *alloc,
                                     const IID *src_iid, IUnknown *src, BOOL writable, const struct copy_args *args );
/* OpenProperty's argument checks, shared by messages and attachments. */
extern HRESULT open_property_check( ULONG tag, const IID *iid, ULONG flags, IUnknown **unk );
/* A snapshot table of the rows of a TC (NULL: no rows), led by KEY
 * (PR_ROWID: row position, PR_ATTACH_NUM: row ID) and PR_INSTANCE_KEY;
 * lock held. */
extern HRESULT table_from_tc( struct store_logon *logon, struct pst_table *tc, ULONG key, ULONG flags,
                              IMAPITable **out );

/* pending.c: the unsaved state of messages and attachments (all engine
 * values own their bytes) */
struct pending_props
{
    struct pst_value *values;  /* set over what the file stores */
    ULONG count;
    ULONG *deleted;            /* stored tags to remove */
    ULONG deleted_count;
};

struct pending_message
{
    struct pending_props props;
    BOOL recipients_set;       /* the recipients below replace the stored ones */
    struct pending_props *recipients;
    ULONG recipient_count;
    ULONG next_rowid;
    BOOL attachments_set;      /* the attachments below replace the stored ones */
    struct list attachments;   /* struct pending_attach.entry */
    ULONG next_num;
};

struct pending_attach
{
    struct list entry;
    ULONG num;                 /* PR_ATTACH_NUM */
    struct pending_props props;
    struct pending_message *embedded;   /* ATTACH_EMBEDDED_MSG, or NULL */
};

extern void pending_props_clear( struct pending_props *p );
extern HRESULT pending_props_copy( struct pending_props *dst, const struct pending_props *src );
extern const struct pst_value *pending_find( const struct pending_props *p, ULONG id );
extern BOOL pending_is_deleted( const struct pending_props *p, ULONG id );
extern HRESULT pending_delete( struct pending_props *p, ULONG id, struct pst_object *obj );
extern HRESULT pending_set_value( struct pending_props *p, const struct pst_value *value, struct pst_object *obj );
extern HRESULT pending_set_bytes( struct pending_props *p, ULONG tag, void *data, size_t size, struct pst_object *obj );
extern HRESULT pending_value_from_mapi( const SPropValue *prop, struct pst_value *value );
extern HRESULT pending_set_mapi( struct pending_props *p, const SPropValue *prop, struct pst_object *obj );
extern HRESULT pending_set_props( const struct mapi_allocators *alloc, struct pending_props *p, struct pst_object *obj,
                                  const ULONG *readonly, ULONG readonly_count, ULONG count, const SPropValue *props,
                                  SPropProblemArray **problems );
extern HRESULT pending_delete_props( const struct mapi_allocators *alloc, struct pending_props *p,
                                     struct pst_object *obj, const ULONG *readonly, ULONG readonly_count,
                                     const SPropTagArray *tags, SPropProblemArray **problems );
extern HRESULT pending_get_props( const struct mapi_allocators *alloc, struct pst_object *obj,
                                  const struct pending_props *p, const SPropValue *computed, ULONG computed_count,
                                  SPropTagArray *tags, ULONG flags, ULONG *count, SPropValue **props );
extern HRESULT pending_get_list( const struct mapi_allocators *alloc, struct pst_object *obj,
                                 const struct pending_props *p, const SPropValue *computed, ULONG computed_count,
                                 ULONG flags, SPropTagArray **tags );
extern void pending_message_free( struct pending_message *m );
extern void pending_attach_free( struct pending_attach *attach );
extern HRESULT pending_attach_copy( const struct pending_attach *src, struct pending_attach **out );
extern HRESULT pending_message_copy( struct pending_message *dst, const struct pending_message *src );
extern HRESULT pending_load_recipients( struct pst_object *msg, struct pending_message *m );
extern HRESULT pending_load_attachments( struct pst_object *msg, struct pending_message *m );
extern HRESULT pending_load_stored_props( struct pst_object *msg, struct pending_props *p );
extern HRESULT pending_build( const struct pending_message *m, struct pst_message_data *data, void **storage );
extern void pending_build_free( void *storage );
extern HRESULT pending_table( struct store_logon *logon, const struct pending_props *const *rows, const ULONG *keys,
                              ULONG count, ULONG key, ULONG flags, IMAPITable **out );
/* message.c: an embedded message being edited inside attachment ATTACH
 * (attach.c); its SaveChanges calls COMMIT with CONTEXT and its state */
extern HRESULT message_create_embedded( struct store_logon *logon, const struct pending_message *initial,
                                        HRESULT (*commit)(void *context, const struct pending_message *m),
                                        IUnknown *owner, void *context, IMessage **out );
/* attach.c: an IAttach over a pending attachment of a message being edited;
 * its SaveChanges calls COMMIT (with OWNER, which the attachment holds) */
extern HRESULT attach_create_pending( struct store_logon *logon, const struct pending_attach *initial,
                                      HRESULT (*commit)(IUnknown *owner, const struct pending_attach *attach),
                                      IUnknown *owner, BOOL writable, IAttach **out );
/* message.c: streams over pending values (lock held), and their commit */
extern HRESULT pending_stream_open( struct store_logon *logon, struct pending_props *p, struct pst_object *obj,
                                    ULONG tag, ULONG flags, HRESULT (*commit)(IUnknown *, ULONG, const void *, size_t),
                                    IUnknown *owner, IStream **out );
extern HRESULT pending_stream_commit( struct pending_props *p, struct pst_object *obj, ULONG tag, const void *data,
                                      size_t size );
/* stream.c-like writable stream over a buffer: COMMIT gets the bytes */
extern HRESULT wstream_create( struct store_logon *logon, const void *data, size_t size,
                               HRESULT (*commit)(IUnknown *owner, ULONG tag, const void *data, size_t size),
                               IUnknown *owner, ULONG tag, IStream **out );

/* attach.c: where an engine object lives, so that it can be reopened after a
 * commit (blocks read before may be freed and reused): top-level node NID,
 * then the attachment NIDs down the chain of embedded messages; EMBEDDED:
 * the object is the embedded message of the last attachment. */
struct object_path
{
    uint32_t nid;
    ULONG count;
    uint32_t *attach;
    BOOL embedded;
};
/* DST = SRC plus attachment ATTACH_NID (0: none) */
extern HRESULT object_path_copy( struct object_path *dst, const struct object_path *src, uint32_t attach_nid,
                                 BOOL embedded );
extern void object_path_free( struct object_path *path );
/* Lock held.  MAPI_E_OBJECT_DELETED when a commit removed it. */
extern HRESULT object_path_open( struct store_logon *logon, const struct object_path *path, struct pst_object **out );

/* attach.c: attachment ATTACH_NID of message MSG, found at MSG_PATH (lock held) */
extern HRESULT attach_open( struct store_logon *logon, struct pst_object *msg, const struct object_path *msg_path,
                            uint32_t attach_nid, IAttach **out );

/* stream.c: a read-only IStream over one property of an engine object: a
 * top-level folder or message, or the object at PATH */
extern HRESULT stream_create( struct store_logon *logon, struct pst_object *obj, ULONG tag, IStream **out );
extern HRESULT stream_create_path( struct store_logon *logon, struct pst_object *obj, const struct object_path *path,
                                   ULONG tag, IStream **out );

/* error.c */
extern HRESULT hresult_from_pst( int err );
extern HRESULT mapi_error_create( const struct mapi_allocators *alloc, HRESULT result, ULONG flags,
                                  const WCHAR *text, MAPIERROR **error );
extern WCHAR *strdup_a_to_w( const char *text );

#endif /* __WINE_WINEPST_PRIVATE_H */
