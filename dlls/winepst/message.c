/*
 * winepst: IMessage over a PST message, and the tables it hands out
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
 * Messages opened with MAPI_MODIFY (or MAPI_BEST_ACCESS) from a store open
 * for writing, and messages made by CreateMessage, are transacted: their
 * changes live in a struct pending_message (pending.c) until SaveChanges
 * writes them in one engine transaction (store_logon_transact), and are
 * discarded at Release or logoff.  Property-only changes of a saved message
 * go through pst_message_set_props; once recipients or attachments change,
 * the message is loaded whole and replaced whole (pst_message_save).
 * Other messages refuse writes with MAPI_E_NO_ACCESS.
 *
 * SaveChanges: KEEP_OPEN_READWRITE keeps the message writable,
 * KEEP_OPEN_READONLY makes it read-only, and no KEEP_OPEN_* flag leaves
 * only Release (every other method answers MAPI_E_INVALID_OBJECT), one of
 * the behaviours imapiprop-savechanges.md allows.  A new message gets its
 * node, and PR_ENTRYID, at its first SaveChanges.  Saving notifies
 * fnevObjectCreated / fnevObjectModified through the support object.
 * SetReadFlag changes the file at once (it is not transacted); without a
 * spooler no read receipt is ever sent, so GENERATE_RECEIPT_ONLY changes
 * nothing.  SubmitMessage answers MAPI_E_NO_SUPPORT: there is no spooler
 * or transport, and PR_STORE_SUPPORT_MASK has no STORE_SUBMIT_OK.
 * Streams opened for writing (OpenProperty with MAPI_MODIFY / MAPI_CREATE)
 * land in the pending state at IStream::Commit.
 *
 * CopyTo / CopyProps (of messages, attachments and folders alike, see
 * copy_through_support) check their arguments as imapiprop-copyto.md and
 * imapiprop-copyprops.md document, then hand the copy to MAPI's support
 * object (IMAPISupport::DoCopyTo / DoCopyProps), which works through the
 * public interfaces of both objects: a winepst destination message keeps
 * the copy pending until its own SaveChanges, and MAPI_MOVE takes the
 * values, recipients and attachments out of the (writable) source, which
 * its owner saves or not.  lpInterface must be the source's interface, or
 * IMAPIProp for the values alone; excluding IUnknown or IMAPIProp answers
 * MAPI_E_INTERFACE_NOT_SUPPORTED ("all known interfaces"); the same object
 * and a read-only destination (PR_ACCESS_LEVEL without MAPI_MODIFY) are
 * MAPI_E_NO_ACCESS; MAPI_DECLINE_OK answers MAPI_E_DECLINE_COPY at once;
 * MAPI_DIALOG shows nothing (there is no user interface) and copies.
 *
 * Computed properties (override what the file stores):
 *   PR_ENTRYID, PR_PARENT_ENTRYID   24-byte PST entry IDs (top-level messages)
 *   PR_RECORD_KEY                   the entry ID when the file stores none
 *   PR_STORE_ENTRYID                the store entry ID as MAPI wraps it
 *   PR_STORE_RECORD_KEY             the store's UID
 *   PR_OBJECT_TYPE, PR_ACCESS, PR_ACCESS_LEVEL, PR_HASATTACH
 *   PR_MESSAGE_FLAGS                plus MSGFLAG_ASSOCIATED for FAI messages
 *   PR_SUBJECT                      without the 0x01, length marker that
 *                                   Outlook puts in front of a subject
 *                                   carrying a prefix ("RE: "); MAPI readers
 *                                   never show it
 *
 * Tables: the recipient and attachment tables are built once from the
 * message's TCs into an ITableData of winemapix's table code; what the
 * client gets is folder.c's table_view, which dies at logoff like every
 * other child.  Attachment rows
 * have PR_ATTACH_NUM = the attachment's subnode NID (the TC's row ID),
 * which OpenAttach takes back; recipient rows have PR_ROWID = their
 * position in the recipient TC.
 */

#include "winepst_private.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(winepst);

/* ------------------------------------------------------------------ */
/* recipient and attachment tables                                     */

/* The MAPI type a TC column is shown with: strings follow MAPI_UNICODE. */
static ULONG column_type( ULONG type, BOOL unicode )
{
    ULONG base = type & ~MV_FLAG;

    if (base == PT_STRING8 || base == PT_UNICODE) return (type & MV_FLAG) | (unicode ? PT_UNICODE : PT_STRING8);
    return type;
}

static BOOL column_hidden( ULONG tag )
{
    /* the TC's bookkeeping columns, and objects a table cannot carry */
    return tag == PST_PR_LTP_ROW_ID || tag == PST_PR_LTP_ROW_VER || PROP_TYPE(tag) == PT_OBJECT;
}

/* Lock held.  Builds a table of the rows of TC (which may be NULL: no
 * rows), led by KEY (PR_ROWID or PR_ATTACH_NUM) and PR_INSTANCE_KEY. */
HRESULT table_from_tc( struct store_logon *logon, struct pst_table *tc, ULONG key, ULONG flags, IMAPITable **out )
{
    const struct mapi_allocators *alloc = &logon->alloc;
    BOOL unicode = !!(flags & MAPI_UNICODE);
    ULONG i, row, n, columns = tc ? pst_table_column_count( tc ) : 0;
    SPropTagArray *tags = NULL;
    SPropValue *values = NULL;
    struct pst_column column;
    struct pst_value value;
    ITableData *data;
    uint32_t row_id;
    HRESULT hr;
    SRow srow;
    int err;

    if (!(tags = malloc( CbNewSPropTagArray(columns + 2) ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    tags->aulPropTag[0] = key;
    tags->aulPropTag[1] = PR_INSTANCE_KEY;
    for (i = 0, n = 2; i < columns; i++)
    {
        if (pst_table_column( tc, i, &column ) || column_hidden( column.tag )) continue;
        if (PROP_ID(column.tag) == PROP_ID(key) || PROP_ID(column.tag) == PROP_ID(PR_INSTANCE_KEY)) continue;
        tags->aulPropTag[n++] = PROP_TAG(column_type( PROP_TYPE(column.tag), unicode ), PROP_ID(column.tag));
    }
    tags->cValues = n;

    if (FAILED(hr = CreateTable( &IID_IMAPITableData, alloc->allocate_buffer, alloc->allocate_more,
                                 alloc->free_buffer, NULL, TBLTYPE_SNAPSHOT, key, tags, &data )))
    {
        free( tags );
        return hr;
    }

    for (row = 0; tc && row < pst_table_row_count( tc ); row++)
    {
        ULONG count = 0;

        if (FAILED(hr = alloc->allocate_buffer( tags->cValues * sizeof(SPropValue), (void **)&values ))) break;
        if (key == PR_ATTACH_NUM)
        {
            if ((err = pst_table_row_id( tc, row, &row_id )))
            {
                hr = hresult_from_pst( err );
                break;
            }
        }
        else row_id = row;
        values[count].ulPropTag = key;
        values[count++].Value.l = row_id;
        values[count].ulPropTag = PR_INSTANCE_KEY;
        if (FAILED(hr = alloc->allocate_more( sizeof(row_id), values, (void **)&values[count].Value.bin.lpb )))
            break;
        memcpy( values[count].Value.bin.lpb, &row_id, sizeof(row_id) );
        values[count++].Value.bin.cb = sizeof(row_id);
        for (i = 2; i < tags->cValues; i++)
        {
            ULONG tag = tags->aulPropTag[i];

            /* the cell is stored in either string type */
            err = pst_table_get_cell( tc, row, tag, &value );
            if (err == PST_E_NOT_FOUND && (PROP_TYPE(tag) == PT_UNICODE || PROP_TYPE(tag) == PT_STRING8))
            {
                ULONG other = PROP_TYPE(tag) == PT_UNICODE ? PT_STRING8 : PT_UNICODE;

                err = pst_table_get_cell( tc, row, PROP_TAG(other, PROP_ID(tag)), &value );
            }
            if (err == PST_E_NOT_FOUND) continue;
            if (err)
            {
                hr = hresult_from_pst( err );
                break;
            }
            if (FAILED(hr = props_convert_value( alloc, values, &value, tag, unicode, &values[count] ))) break;
            count++;
        }
        if (FAILED(hr)) break;
        srow.ulAdrEntryPad = 0;
        srow.cValues = count;
        srow.lpProps = values;
        hr = ITableData_HrModifyRow( data, &srow );
        alloc->free_buffer( values );
        values = NULL;
        if (FAILED(hr)) break;
    }
    if (values) alloc->free_buffer( values );
    free( tags );
    if (SUCCEEDED(hr)) hr = table_view_create( logon, data, out );
    ITableData_Release( data );
    return hr;
}

/* ------------------------------------------------------------------ */
/* messages                                                             */

struct message
{
    IMessage IMessage_iface;
    LONG refcount;
    struct store_child child;
    struct pst_object *obj;    /* NULL once invalidated, and for unsaved messages */
    uint32_t nid;              /* 0 until a new message is saved */
    uint32_t parent_nid;       /* the folder; 0 for embedded messages */
    BOOL embedded;
    BOOL assoc;                /* FAI */
    BOOL writable;             /* opened with MAPI_MODIFY, or created */
    BOOL closed;               /* SaveChanges without KEEP_OPEN_*: only Release is left */
    ULONG generation;          /* of the logon when obj was opened */
    struct object_path path;   /* embedded messages read from the file: where obj lives */
    BOOL deleted;              /* a commit removed it: MAPI_E_OBJECT_DELETED */
    struct pending_message pending;
    /* an embedded message being edited inside a pending attachment */
    HRESULT (*commit)(void *context, const struct pending_message *m);
    IUnknown *owner;
    void *context;
};

static inline struct message *impl_from_IMessage( IMessage *iface )
{
    return CONTAINING_RECORD( iface, struct message, IMessage_iface );
}

/* Lock held: at logoff, before the file closes, or when the message goes.
 * Unsaved changes go with it. */
static void message_invalidate( struct store_child *child )
{
    struct message *message = CONTAINING_RECORD( child, struct message, child );

    if (message->obj) pst_object_close( message->obj );
    message->obj = NULL;
    pending_message_free( &message->pending );
}

/* Enters the logon (S_OK, lock held); MAPI_E_INVALID_OBJECT when the
 * message is dead or closed by SaveChanges, MAPI_E_OBJECT_DELETED when a
 * commit removed it.  On failure nothing is held. */
static HRESULT message_enter( struct message *message )
{
    struct store_logon *logon = message->child.logon;
    struct object_path top = { message->nid };
    struct pst_object *obj;
    HRESULT hr = S_OK;

    if (!store_child_enter( &message->child )) return MAPI_E_INVALID_OBJECT;
    if (message->closed) hr = MAPI_E_INVALID_OBJECT;
    else if (message->deleted) hr = MAPI_E_OBJECT_DELETED;
    /* a commit may have freed (and the next one reused) the blocks an open
     * message read: never read through an older handle.  An embedded
     * message is reopened down its chain from the top-level message; a
     * moved message keeps its NID. */
    else if ((message->embedded ? message->path.count : message->nid) && message->generation != logon->generation)
    {
        if (message->obj) pst_object_close( message->obj );
        message->obj = NULL;
        if (SUCCEEDED(hr = object_path_open( logon, message->embedded ? &message->path : &top, &obj )))
        {
            message->obj = obj;
            message->generation = logon->generation;
        }
        else if (hr == MAPI_E_OBJECT_DELETED) message->deleted = TRUE;
        else WARN( "reopening failed: %#lx.\n", hr );
    }
    if (FAILED(hr)) store_child_leave( &message->child );
    return hr;
}

/* Where the engine object of a message read from the file lives. */
static const struct object_path *message_path( struct message *message, struct object_path *top )
{
    if (message->embedded) return &message->path;
    memset( top, 0, sizeof(*top) );
    top->nid = message->nid;
    return top;
}

static void message_leave( struct message *message )
{
    store_child_leave( &message->child );
}

static HRESULT WINAPI message_QueryInterface( IMessage *iface, REFIID riid, void **out )
{
    struct message *message = impl_from_IMessage( iface );

    TRACE( "%p, %s, %p.\n", iface, debugstr_guid(riid), out );

    if (!out) return MAPI_E_INVALID_PARAMETER;
    if (IsEqualGUID( riid, &IID_IUnknown ) || IsEqualGUID( riid, &IID_IMAPIProp )
            || IsEqualGUID( riid, &IID_IMessage ))
    {
        *out = &message->IMessage_iface;
        IMessage_AddRef( &message->IMessage_iface );
        return S_OK;
    }
    WARN( "Unsupported %s.\n", debugstr_guid(riid) );
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI message_AddRef( IMessage *iface )
{
    struct message *message = impl_from_IMessage( iface );
    ULONG refcount = InterlockedIncrement( &message->refcount );

    TRACE( "%p, refcount %lu.\n", iface, refcount );
    return refcount;
}

static ULONG WINAPI message_Release( IMessage *iface )
{
    struct message *message = impl_from_IMessage( iface );
    ULONG refcount = InterlockedDecrement( &message->refcount );

    TRACE( "%p, refcount %lu.\n", iface, refcount );

    if (!refcount)
    {
        /* unsaved changes are discarded (message_invalidate) */
        store_child_destroy( &message->child );
        if (message->owner) IUnknown_Release( message->owner );
        object_path_free( &message->path );
        free( message );
    }
    return refcount;
}

static HRESULT WINAPI message_GetLastError( IMessage *iface, HRESULT result, ULONG flags, MAPIERROR **error )
{
    struct message *message = impl_from_IMessage( iface );
    HRESULT hr;

    TRACE( "%p, %#lx, %#lx, %p.\n", iface, result, flags, error );

    /* a deleted message can still describe its errors */
    if (FAILED(hr = message_enter( message )) && hr != MAPI_E_OBJECT_DELETED) return hr;
    if (SUCCEEDED(hr)) message_leave( message );
    if (!error) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    return mapi_error_create( &message->child.logon->alloc, result, flags, NULL, error );
}

/* Lock held.  A subject without Outlook's leading 0x01, length marker. */
static BOOL strip_subject( struct pst_object *obj, SPropValue *prop, void **buffer )
{
    struct pst_value value;

    if (!obj) return FALSE;
    if (!pst_prop_get( obj, PR_SUBJECT_W, &value ))
    {
        const WCHAR *text = (const WCHAR *)value.bytes;
        size_t chars = value.size / sizeof(WCHAR);
        WCHAR *str;

        if (chars < 2 || text[0] != 1) return FALSE;
        if (!(*buffer = str = malloc( (chars - 1) * sizeof(WCHAR) ))) return FALSE;
        memcpy( str, text + 2, (chars - 2) * sizeof(WCHAR) );
        str[chars - 2] = 0;
        prop->ulPropTag = PR_SUBJECT_W;
        prop->Value.lpszW = str;
        return TRUE;
    }
    if (!pst_prop_get( obj, PR_SUBJECT_A, &value ))
    {
        const char *text = (const char *)value.bytes;
        char *str;

        if (value.size < 2 || text[0] != 1) return FALSE;
        if (!(*buffer = str = malloc( value.size - 1 ))) return FALSE;
        memcpy( str, text + 2, value.size - 2 );
        str[value.size - 2] = 0;
        prop->ulPropTag = PR_SUBJECT_A;
        prop->Value.lpszA = str;
        return TRUE;
    }
    return FALSE;
}

#define MAX_MESSAGE_COMPUTED 14

/* Properties a client cannot set or delete: the store computes them. */
static const ULONG message_readonly[] =
{
    PR_ENTRYID, PR_PARENT_ENTRYID, PR_RECORD_KEY, PR_STORE_ENTRYID, PR_STORE_RECORD_KEY, PR_OBJECT_TYPE,
    PR_ACCESS, PR_ACCESS_LEVEL, PR_HASATTACH, PR_MESSAGE_SIZE, PR_INSTANCE_KEY, PR_MAPPING_SIGNATURE,
};

struct computed
{
    SPropValue props[MAX_MESSAGE_COMPUTED];
    ULONG count;
    BYTE entryid[PST_ENTRYID_SIZE];
    BYTE parent_entryid[PST_ENTRYID_SIZE];
    void *subject;
};

/* Whether TAGS (NULL: every property) asks for the property ID of TAG. */
static BOOL tags_want( const SPropTagArray *tags, ULONG tag )
{
    ULONG i;

    if (!tags) return TRUE;
    for (i = 0; i < tags->cValues; i++) if (PROP_ID(tags->aulPropTag[i]) == PROP_ID(tag)) return TRUE;
    return FALSE;
}

/* Lock held.  STORE_ID is the wrapped store entry ID or NULL.  Values that
 * cost a lookup or an allocation are computed only when TAGS (NULL: all)
 * asks for them. */
static void message_computed( struct message *message, ULONG store_id_size, ENTRYID *store_id,
                              const SPropTagArray *tags, struct computed *c )
{
    struct store_logon *logon = message->child.logon;
    const struct pst_value *pending;
    struct pst_value value;
    LONG flags = 0;
    SPropValue *p = c->props;
    BOOL hasattach;

    c->count = 0;
    c->subject = NULL;
    if (!message->embedded && message->nid)
    {
        pst_entryid_format( logon->uid, message->nid, c->entryid );
        p->ulPropTag = PR_ENTRYID;
        p->Value.bin.cb = PST_ENTRYID_SIZE;
        p->Value.bin.lpb = c->entryid;
        p++;
        if (!message->obj || pst_prop_get( message->obj, PR_RECORD_KEY, &value ))
        {
            p->ulPropTag = PR_RECORD_KEY;
            p->Value.bin.cb = PST_ENTRYID_SIZE;
            p->Value.bin.lpb = c->entryid;
            p++;
        }
    }
    if (!message->embedded)
    {
        pst_entryid_format( logon->uid, message->parent_nid, c->parent_entryid );
        p->ulPropTag = PR_PARENT_ENTRYID;
        p->Value.bin.cb = PST_ENTRYID_SIZE;
        p->Value.bin.lpb = c->parent_entryid;
        p++;
    }
    if (store_id)
    {
        p->ulPropTag = PR_STORE_ENTRYID;
        p->Value.bin.cb = store_id_size;
        p->Value.bin.lpb = (BYTE *)store_id;
        p++;
    }
    p->ulPropTag = PR_STORE_RECORD_KEY;
    p->Value.bin.cb = sizeof(logon->uid);
    p->Value.bin.lpb = logon->uid;
    p++;
    p->ulPropTag = PR_OBJECT_TYPE;
    p->Value.l = MAPI_MESSAGE;
    p++;
    p->ulPropTag = PR_ACCESS;
    p->Value.l = message->writable ? MAPI_ACCESS_READ | MAPI_ACCESS_MODIFY | MAPI_ACCESS_DELETE : MAPI_ACCESS_READ;
    p++;
    p->ulPropTag = PR_ACCESS_LEVEL;
    p->Value.l = message->writable ? MAPI_MODIFY : 0;
    p++;
    if ((pending = pending_find( &message->pending.props, PROP_ID(PR_MESSAGE_FLAGS) )))
        flags = pending->type == PT_LONG ? pending->u.l : 0;
    else if (message->obj && !pending_is_deleted( &message->pending.props, PROP_ID(PR_MESSAGE_FLAGS) )
             && !pst_prop_get( message->obj, PR_MESSAGE_FLAGS, &value ))
        flags = value.u.l;
    if (message->assoc) flags |= MSGFLAG_ASSOCIATED;
    if (message->pending.attachments_set) hasattach = !list_empty( &message->pending.attachments );
    else hasattach = !!(flags & MSGFLAG_HASATTACH);
    flags = hasattach ? flags | MSGFLAG_HASATTACH : flags & ~MSGFLAG_HASATTACH;
    p->ulPropTag = PR_MESSAGE_FLAGS;
    p->Value.l = flags;
    p++;
    p->ulPropTag = PR_HASATTACH;
    p->Value.b = hasattach;
    p++;
    if (tags_want( tags, PR_SUBJECT_W ) && !pending_find( &message->pending.props, PROP_ID(PR_SUBJECT_W) )
            && !pending_is_deleted( &message->pending.props, PROP_ID(PR_SUBJECT_W) )
            && strip_subject( message->obj, p, &c->subject )) p++;
    c->count = p - c->props;
}

static HRESULT WINAPI message_GetProps( IMessage *iface, SPropTagArray *tags, ULONG flags, ULONG *count,
                                        SPropValue **props )
{
    struct message *message = impl_from_IMessage( iface );
    const struct mapi_allocators *alloc = &message->child.logon->alloc;
    const SPropTagArray *want;
    ENTRYID *store_id = NULL;
    ULONG store_id_size = 0;
    struct computed c;
    HRESULT hr;

    TRACE( "%p, %p, %#lx, %p, %p.\n", iface, tags, flags, count, props );

    if (!count || !props || (tags && !tags->cValues)) return MAPI_E_INVALID_PARAMETER;
    /* an unreadable tag array (a count past its end) is props_get's to
     * refuse: everything is computed for it, as for NULL */
    want = tags && IsBadReadPtr( tags, CbSPropTagArray(tags) ) ? NULL : tags;
    /* MAPI wraps the store entry ID (a call into the support object and an
     * allocation): only when it is asked for */
    if (tags_want( want, PR_STORE_ENTRYID )
            && FAILED(hr = store_wrapped_entryid( message->child.logon, &store_id_size, &store_id )))
    {
        if (hr == MAPI_E_INVALID_OBJECT) return hr;
        WARN( "no store entry ID: %#lx.\n", hr );
    }
    if (FAILED(hr = message_enter( message )))
    {
        if (store_id) alloc->free_buffer( store_id );
        return hr;
    }
    message_computed( message, store_id_size, store_id, want, &c );
    hr = pending_get_props( alloc, message->obj, &message->pending.props, c.props, c.count, tags, flags, count, props );
    message_leave( message );
    free( c.subject );
    if (store_id) alloc->free_buffer( store_id );
    return hr;
}

static HRESULT WINAPI message_GetPropList( IMessage *iface, ULONG flags, SPropTagArray **tags )
{
    struct message *message = impl_from_IMessage( iface );
    static ENTRYID dummy;
    struct computed c;
    HRESULT hr;

    TRACE( "%p, %#lx, %p.\n", iface, flags, tags );

    if (FAILED(hr = message_enter( message ))) return hr;
    /* only the tags count here: any store entry ID stands for the real one */
    message_computed( message, sizeof(dummy), &dummy, NULL, &c );
    hr = pending_get_list( &message->child.logon->alloc, message->obj, &message->pending.props, c.props, c.count,
                           flags, tags );
    message_leave( message );
    free( c.subject );
    return hr;
}

/* Checks shared by OpenProperty of messages and attachments; whether
 * MAPI_MODIFY / MAPI_CREATE can be granted is the object's to say. */
HRESULT open_property_check( ULONG tag, const IID *iid, ULONG flags, IUnknown **unk )
{
    if (!unk || !iid) return MAPI_E_INVALID_PARAMETER;
    *unk = NULL;
    if (PROP_TYPE(tag) == PT_UNSPECIFIED) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(MAPI_MODIFY | MAPI_CREATE | MAPI_DEFERRED_ERRORS | STREAM_APPEND | MAPI_BEST_ACCESS))
        return MAPI_E_UNKNOWN_FLAGS;
    return S_OK;
}

static BOOL is_stream_type( ULONG type )
{
    return type == PT_BINARY || type == PT_STRING8 || type == PT_UNICODE;
}

/* A stream's committed bytes become the pending value. */
static HRESULT message_stream_commit( IUnknown *owner, ULONG tag, const void *data, size_t size )
{
    struct message *message = impl_from_IMessage( (IMessage *)owner );
    HRESULT hr;

    if (FAILED(message_enter( message ))) return STG_E_REVERTED;
    hr = pending_stream_commit( &message->pending.props, message->obj, tag, data, size );
    message_leave( message );
    return hr;
}

/* Lock held.  The current bytes of TAG for a stream that may change them:
 * the pending value, else the stored one read whole. */
HRESULT pending_stream_open( struct store_logon *logon, struct pending_props *p, struct pst_object *obj, ULONG tag,
                             ULONG flags, HRESULT (*commit)(IUnknown *, ULONG, const void *, size_t),
                             IUnknown *owner, IStream **out )
{
    const struct pst_value *value = pending_find( p, PROP_ID(tag) );
    struct pst_stream *engine = NULL;
    BYTE *data = NULL;
    uint64_t size = 0;
    size_t done = 0, read;
    HRESULT hr;
    int err;

    if (flags & MAPI_CREATE) return wstream_create( logon, NULL, 0, commit, owner, tag, out );
    if (value)
    {
        if (PROP_TYPE(value->tag) == PT_UNICODE && PROP_TYPE(tag) == PT_STRING8)
        {
            int len = WideCharToMultiByte( CP_ACP, 0, (const WCHAR *)value->bytes, value->size / sizeof(WCHAR),
                                           NULL, 0, NULL, NULL );

            if (!(data = malloc( len + 1 ))) return MAPI_E_NOT_ENOUGH_MEMORY;
            WideCharToMultiByte( CP_ACP, 0, (const WCHAR *)value->bytes, value->size / sizeof(WCHAR),
                                 (char *)data, len, NULL, NULL );
            hr = wstream_create( logon, data, len, commit, owner, tag, out );
            free( data );
            return hr;
        }
        return wstream_create( logon, value->bytes, value->size, commit, owner, tag, out );
    }
    if (!obj || pending_is_deleted( p, PROP_ID(tag) )) return MAPI_E_NOT_FOUND;
    if ((err = pst_prop_open_stream( obj, tag, &engine )))
    {
        if (err == PST_E_NOT_FOUND && (flags & MAPI_MODIFY) && (PROP_TYPE(tag) == PT_STRING8 || PROP_TYPE(tag) == PT_UNICODE))
        {
            /* the other string type: convert through a read-only stream */
            IStream *stream;
            STATSTG stat;
            ULONG got;

            if (FAILED(hr = stream_create( logon, obj, tag, &stream ))) return hr;
            if (SUCCEEDED(hr = IStream_Stat( stream, &stat, STATFLAG_NONAME )))
            {
                if (!(data = malloc( stat.cbSize.QuadPart + 1 ))) hr = MAPI_E_NOT_ENOUGH_MEMORY;
                else if (SUCCEEDED(hr = IStream_Read( stream, data, stat.cbSize.QuadPart, &got )))
                    hr = wstream_create( logon, data, got, commit, owner, tag, out );
                free( data );
            }
            IStream_Release( stream );
            return hr;
        }
        return hresult_from_pst( err );
    }
    size = pst_stream_size( engine );
    if (size > 0x7fffffff || !(data = malloc( size ? size : 1 ))) hr = MAPI_E_NOT_ENOUGH_MEMORY;
    else
    {
        hr = S_OK;
        while (done < size && SUCCEEDED(hr))
        {
            if ((err = pst_stream_read( engine, done, data + done, size - done, &read ))) hr = hresult_from_pst( err );
            else if (!read) hr = MAPI_E_CORRUPT_DATA;
            else done += read;
        }
        if (SUCCEEDED(hr)) hr = wstream_create( logon, data, size, commit, owner, tag, out );
    }
    free( data );
    pst_stream_close( engine );
    return hr;
}

/* The stream's bytes as the pending value of TAG; strings are kept Unicode. */
HRESULT pending_stream_commit( struct pending_props *p, struct pst_object *obj, ULONG tag, const void *data, size_t size )
{
    void *copy;

    if (PROP_TYPE(tag) == PT_STRING8)
    {
        int len = MultiByteToWideChar( CP_ACP, 0, data, size, NULL, 0 );

        if (!(copy = malloc( (len + 1) * sizeof(WCHAR) ))) return STG_E_INSUFFICIENTMEMORY;
        MultiByteToWideChar( CP_ACP, 0, data, size, copy, len );
        return pending_set_bytes( p, PROP_TAG(PT_UNICODE, PROP_ID(tag)), copy, len * sizeof(WCHAR), obj );
    }
    if (!(copy = malloc( size ? size : 1 ))) return STG_E_INSUFFICIENTMEMORY;
    memcpy( copy, data, size );
    return pending_set_bytes( p, tag, copy, size, obj );
}

static HRESULT WINAPI message_OpenProperty( IMessage *iface, ULONG tag, const IID *iid, ULONG options,
                                            ULONG flags, IUnknown **unk )
{
    struct message *message = impl_from_IMessage( iface );
    struct object_path top;
    struct pending_props *p = &message->pending.props;
    HRESULT hr;

    TRACE( "%p, %#lx, %s, %#lx, %#lx, %p.\n", iface, tag, debugstr_guid(iid), options, flags, unk );

    if (FAILED(hr = message_enter( message ))) return hr;
    if (FAILED(hr = open_property_check( tag, iid, flags, unk )))
    {
        message_leave( message );
        return hr;
    }
    if (IsEqualGUID( iid, &IID_IMAPITable ) && (tag == PR_MESSAGE_RECIPIENTS || tag == PR_MESSAGE_ATTACHMENTS))
    {
        message_leave( message );
        if (tag == PR_MESSAGE_RECIPIENTS)
            return IMessage_GetRecipientTable( iface, flags & MAPI_DEFERRED_ERRORS, (IMAPITable **)unk );
        return IMessage_GetAttachmentTable( iface, flags & MAPI_DEFERRED_ERRORS, (IMAPITable **)unk );
    }
    if ((flags & (MAPI_MODIFY | MAPI_CREATE)) && !message->writable) hr = MAPI_E_NO_ACCESS;
    else if (IsEqualGUID( iid, &IID_IStream ) && is_stream_type( PROP_TYPE(tag) ))
    {
        if ((flags & (MAPI_MODIFY | MAPI_CREATE)) || pending_find( p, PROP_ID(tag) ) || !message->obj)
            hr = pending_stream_open( message->child.logon, p, message->obj, tag, flags, message_stream_commit,
                                      (IUnknown *)iface, (IStream **)unk );
        else if (pending_is_deleted( p, PROP_ID(tag) )) hr = MAPI_E_NOT_FOUND;
        else hr = stream_create_path( message->child.logon, message->obj, message_path( message, &top ), tag,
                                      (IStream **)unk );
    }
    else if (!pending_find( p, PROP_ID(tag) ) && (!message->obj || pending_is_deleted( p, PROP_ID(tag) )
             || pst_prop_get( message->obj, PROP_TAG(PT_UNSPECIFIED, PROP_ID(tag)), &(struct pst_value){0} ) == PST_E_NOT_FOUND))
        hr = MAPI_E_NOT_FOUND;
    else
        hr = MAPI_E_INTERFACE_NOT_SUPPORTED;
    message_leave( message );
    return hr;
}

static HRESULT WINAPI message_SetProps( IMessage *iface, ULONG count, SPropValue *props,
                                        SPropProblemArray **problems )
{
    struct message *message = impl_from_IMessage( iface );
    HRESULT hr;

    TRACE( "%p, %lu, %p, %p.\n", iface, count, props, problems );

    if (FAILED(hr = message_enter( message ))) return hr;
    if (!props || !count) hr = MAPI_E_INVALID_PARAMETER;
    else if (!message->writable) hr = MAPI_E_NO_ACCESS;
    else hr = pending_set_props( &message->child.logon->alloc, &message->pending.props, message->obj,
                                 message_readonly, ARRAY_SIZE(message_readonly), count, props, problems );
    message_leave( message );
    return hr;
}

static HRESULT WINAPI message_DeleteProps( IMessage *iface, SPropTagArray *tags, SPropProblemArray **problems )
{
    struct message *message = impl_from_IMessage( iface );
    HRESULT hr;

    TRACE( "%p, %p, %p.\n", iface, tags, problems );

    if (FAILED(hr = message_enter( message ))) return hr;
    if (!tags) hr = MAPI_E_INVALID_PARAMETER;
    else if (!message->writable) hr = MAPI_E_NO_ACCESS;
    else hr = pending_delete_props( &message->child.logon->alloc, &message->pending.props, message->obj,
                                    message_readonly, ARRAY_SIZE(message_readonly), tags, problems );
    message_leave( message );
    return hr;
}

static BOOL tags_have_null( const SPropTagArray *tags )
{
    ULONG i;

    for (i = 0; i < tags->cValues; i++) if (tags->aulPropTag[i] == PR_NULL) return TRUE;
    return FALSE;
}

/* Shared by messages, attachments and folders: the documented checks of
 * CopyTo / CopyProps, then MAPI's generic copy (imapiprop-copyto.md,
 * "Notes to implementers"), which works through the interfaces of both
 * objects and so keeps the destination's transaction: a winepst message
 * copied into stays unsaved until its own SaveChanges.  No lock held. */
HRESULT copy_through_support( IMAPISupport *support, const struct mapi_allocators *alloc, const IID *src_iid,
                              IUnknown *src, BOOL writable, const struct copy_args *a )
{
    static const SizedSPropTagArray(1, access_tag) = { 1, { PR_ACCESS_LEVEL } };
    IUnknown *dest_unk = NULL, *src_unk = NULL;
    const IID *copy_iid;
    SPropValue *access;
    IMAPIProp *dest;
    HRESULT hr;
    ULONG count;

    if (!a->iid || !a->dest) return MAPI_E_INVALID_PARAMETER;
    if (a->exclude_count && !a->exclude_iids) return MAPI_E_INVALID_PARAMETER;
    if (a->copy_props ? !a->include_props || !a->include_props->cValues || tags_have_null( a->include_props )
                      : a->exclude_props && (!a->exclude_props->cValues || tags_have_null( a->exclude_props )))
        return MAPI_E_INVALID_PARAMETER;
    if (a->flags & ~(MAPI_DIALOG | MAPI_MOVE | MAPI_NOREPLACE | MAPI_DECLINE_OK)) return MAPI_E_UNKNOWN_FLAGS;
    /* excluding IUnknown or IMAPIProp excludes every interface we know */
    for (count = 0; count < a->exclude_count; count++)
        if (IsEqualIID( &a->exclude_iids[count], &IID_IUnknown ) || IsEqualIID( &a->exclude_iids[count], &IID_IMAPIProp ))
            return MAPI_E_INTERFACE_NOT_SUPPORTED;
    /* the destination is the same kind of object (lpInterface: the source's
     * standard interface), or a plain IMAPIProp taking the values only */
    if (IsEqualIID( a->iid, &IID_IMAPIProp )) copy_iid = &IID_IMAPIProp;
    else if (IsEqualIID( a->iid, src_iid )
             || (IsEqualIID( src_iid, &IID_IMAPIFolder ) && IsEqualIID( a->iid, &IID_IMAPIContainer )))
        copy_iid = src_iid;
    else return MAPI_E_INTERFACE_NOT_SUPPORTED;
    if (FAILED(IUnknown_QueryInterface( (IUnknown *)a->dest, copy_iid, (void **)&dest )))
        return MAPI_E_INTERFACE_NOT_SUPPORTED;

    /* the documented answer to copying an object onto itself */
    hr = S_OK;
    if (SUCCEEDED(IMAPIProp_QueryInterface( dest, &IID_IUnknown, (void **)&dest_unk ))
        && SUCCEEDED(IUnknown_QueryInterface( src, &IID_IUnknown, (void **)&src_unk )) && dest_unk == src_unk)
        hr = MAPI_E_NO_ACCESS;
    if (dest_unk) IUnknown_Release( dest_unk );
    if (src_unk) IUnknown_Release( src_unk );
    /* a move takes the values out of the source */
    if (SUCCEEDED(hr) && (a->flags & MAPI_MOVE) && !writable) hr = MAPI_E_NO_ACCESS;
    /* nothing is written into a read-only destination */
    if (SUCCEEDED(hr) && SUCCEEDED(IMAPIProp_GetProps( dest, (SPropTagArray *)&access_tag, 0, &count, &access )))
    {
        if (access->ulPropTag == PR_ACCESS_LEVEL && !(access->Value.l & MAPI_MODIFY)) hr = MAPI_E_NO_ACCESS;
        alloc->free_buffer( access );
    }
    /* MAPI asks with MAPI_DECLINE_OK only to hear at once that we would
     * hand the copy back to it */
    if (SUCCEEDED(hr) && (a->flags & MAPI_DECLINE_OK)) hr = MAPI_E_DECLINE_COPY;
    if (SUCCEEDED(hr))
    {
        /* MAPI_DIALOG: there is no user interface to show; the copy runs as without it */
        if (a->copy_props)
            hr = IMAPISupport_DoCopyProps( support, copy_iid, src, a->include_props, a->ui_param, a->progress,
                                           copy_iid, dest, a->flags, a->problems );
        else
            hr = IMAPISupport_DoCopyTo( support, copy_iid, src, a->exclude_count, a->exclude_iids,
                                        a->exclude_props, a->ui_param, a->progress, copy_iid, dest, a->flags,
                                        a->problems );
    }
    IMAPIProp_Release( dest );
    return hr;
}

static HRESULT message_copy( struct message *message, const struct copy_args *args )
{
    IMAPISupport *support;
    BOOL writable;
    HRESULT hr;

    if (args->problems) *args->problems = NULL;
    if (FAILED(hr = message_enter( message ))) return hr;
    support = message->child.logon->support;
    IMAPISupport_AddRef( support );
    writable = message->writable;
    message_leave( message );
    hr = copy_through_support( support, &message->child.logon->alloc, &IID_IMessage,
                               (IUnknown *)&message->IMessage_iface, writable, args );
    IMAPISupport_Release( support );
    return hr;
}

static HRESULT WINAPI message_CopyTo( IMessage *iface, ULONG exclude_count, const IID *exclude_iids,
                                      SPropTagArray *exclude_props, ULONG ui_param, IMAPIProgress *progress,
                                      const IID *iid, void *dest, ULONG flags, SPropProblemArray **problems )
{
    struct copy_args args = { exclude_count, exclude_iids, exclude_props, NULL, FALSE, ui_param, progress, iid,
                              dest, flags, problems };

    TRACE( "%p, %lu, %p, %p, %#lx, %p, %s, %p, %#lx, %p.\n", iface, exclude_count, exclude_iids, exclude_props,
           ui_param, progress, debugstr_guid(iid), dest, flags, problems );

    return message_copy( impl_from_IMessage( iface ), &args );
}

static HRESULT WINAPI message_CopyProps( IMessage *iface, SPropTagArray *include_props, ULONG ui_param,
                                         IMAPIProgress *progress, const IID *iid, void *dest, ULONG flags,
                                         SPropProblemArray **problems )
{
    struct copy_args args = { 0, NULL, NULL, include_props, TRUE, ui_param, progress, iid, dest, flags, problems };

    TRACE( "%p, %p, %#lx, %p, %s, %p, %#lx, %p.\n", iface, include_props, ui_param, progress,
           debugstr_guid(iid), dest, flags, problems );

    return message_copy( impl_from_IMessage( iface ), &args );
}

static HRESULT WINAPI message_GetNamesFromIDs( IMessage *iface, SPropTagArray **tags, GUID *guid, ULONG flags,
                                               ULONG *count, MAPINAMEID ***names )
{
    struct message *message = impl_from_IMessage( iface );
    HRESULT hr;

    TRACE( "%p, %p, %s, %#lx, %p, %p.\n", iface, tags, debugstr_guid(guid), flags, count, names );

    if (FAILED(hr = message_enter( message ))) return hr;
    hr = props_get_names_from_ids( message->child.logon, tags, guid, flags, count, names );
    message_leave( message );
    return hr;
}

static HRESULT WINAPI message_GetIDsFromNames( IMessage *iface, ULONG count, MAPINAMEID **names, ULONG flags,
                                               SPropTagArray **tags )
{
    struct message *message = impl_from_IMessage( iface );
    HRESULT hr;

    TRACE( "%p, %lu, %p, %#lx, %p.\n", iface, count, names, flags, tags );

    if (FAILED(hr = message_enter( message ))) return hr;
    hr = props_get_ids_from_names( message->child.logon, count, names, flags, tags );
    message_leave( message );
    return hr;
}

/* Lock held: the pending rows as a table. */
static HRESULT message_pending_table( struct message *message, BOOL attachments, ULONG flags, IMAPITable **out )
{
    struct pending_message *m = &message->pending;
    const struct pending_props **rows = NULL;
    struct pending_attach *attach;
    ULONG *keys = NULL, count, i = 0;
    HRESULT hr;

    count = attachments ? list_count( &m->attachments ) : m->recipient_count;
    if (count && (!(rows = malloc( count * sizeof(*rows) )) || !(keys = malloc( count * sizeof(*keys) ))))
    {
        free( rows );
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    if (attachments)
    {
        LIST_FOR_EACH_ENTRY( attach, &m->attachments, struct pending_attach, entry )
        {
            rows[i] = &attach->props;
            keys[i++] = attach->num;
        }
    }
    else
    {
        for (i = 0; i < count; i++)
        {
            const struct pst_value *rowid = pending_find( &m->recipients[i], PROP_ID(PR_ROWID) );

            rows[i] = &m->recipients[i];
            keys[i] = rowid ? rowid->u.l : i;
        }
    }
    hr = pending_table( message->child.logon, rows, keys, count, attachments ? PR_ATTACH_NUM : PR_ROWID, flags, out );
    free( rows );
    free( keys );
    return hr;
}

static HRESULT message_table( struct message *message, uint32_t which, ULONG key, ULONG flags, IMAPITable **out )
{
    struct pst_table *tc = NULL;
    HRESULT hr;
    int err;

    if (!out) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(MAPI_UNICODE | MAPI_DEFERRED_ERRORS)) return MAPI_E_UNKNOWN_FLAGS;
    if (FAILED(hr = message_enter( message ))) return hr;
    if (which == PST_NID_ATTACHMENT_TABLE && (message->pending.attachments_set || !message->obj))
        hr = message->pending.attachments_set ? message_pending_table( message, TRUE, flags, out )
                                              : table_from_tc( message->child.logon, NULL, key, flags, out );
    else if (which == PST_NID_RECIPIENT_TABLE && (message->pending.recipients_set || !message->obj))
        hr = message_pending_table( message, FALSE, flags, out );
    else
    {
        err = pst_message_open_table( message->obj, which, &tc );
        /* a message without the table has no rows */
        if (err && err != PST_E_NOT_FOUND) hr = hresult_from_pst( err );
        else hr = table_from_tc( message->child.logon, tc, key, flags, out );
        if (tc) pst_table_close( tc );
    }
    message_leave( message );
    return hr;
}

static HRESULT WINAPI message_GetAttachmentTable( IMessage *iface, ULONG flags, IMAPITable **table )
{
    struct message *message = impl_from_IMessage( iface );

    TRACE( "%p, %#lx, %p.\n", iface, flags, table );

    return message_table( message, PST_NID_ATTACHMENT_TABLE, PR_ATTACH_NUM, flags, table );
}

/* Lock held: the attachments become pending (loaded whole once). */
static HRESULT message_load_attachments( struct message *message )
{
    if (message->pending.attachments_set) return S_OK;
    if (!message->obj)
    {
        list_init( &message->pending.attachments );
        message->pending.attachments_set = TRUE;
        return S_OK;
    }
    return pending_load_attachments( message->obj, &message->pending );
}

static struct pending_attach *message_find_attach( struct message *message, ULONG num )
{
    struct pending_attach *attach;

    LIST_FOR_EACH_ENTRY( attach, &message->pending.attachments, struct pending_attach, entry )
        if (attach->num == num) return attach;
    return NULL;
}

/* IAttach::SaveChanges of a pending attachment: its state replaces (or
 * becomes) the message's pending attachment of the same number. */
static HRESULT message_attach_commit( IUnknown *owner, const struct pending_attach *state )
{
    struct message *message = impl_from_IMessage( (IMessage *)owner );
    struct pending_attach *copy, *old;
    HRESULT hr;

    if (FAILED(hr = message_enter( message ))) return hr;
    if (FAILED(hr = message_load_attachments( message ))) goto done;
    if (FAILED(hr = pending_attach_copy( state, &copy ))) goto done;
    if ((old = message_find_attach( message, state->num )))
    {
        list_add_after( &old->entry, &copy->entry );
        list_remove( &old->entry );
        pending_attach_free( old );
    }
    else list_add_tail( &message->pending.attachments, &copy->entry );
done:
    message_leave( message );
    return hr;
}

static HRESULT WINAPI message_OpenAttach( IMessage *iface, ULONG num, const IID *iid, ULONG flags, IAttach **attach )
{
    struct message *message = impl_from_IMessage( iface );
    struct object_path top;
    struct pending_attach *pending;
    HRESULT hr;

    TRACE( "%p, %lu, %s, %#lx, %p.\n", iface, num, debugstr_guid(iid), flags, attach );

    if (FAILED(hr = message_enter( message ))) return hr;
    if (!attach) hr = MAPI_E_INVALID_PARAMETER;
    else if (flags & ~(MAPI_MODIFY | MAPI_DEFERRED_ERRORS | MAPI_BEST_ACCESS)) hr = MAPI_E_UNKNOWN_FLAGS;
    else if (iid && !IsEqualGUID( iid, &IID_IAttachment ) && !IsEqualGUID( iid, &IID_IMAPIProp )
             && !IsEqualGUID( iid, &IID_IUnknown )) hr = MAPI_E_INTERFACE_NOT_SUPPORTED;
    else if ((flags & MAPI_MODIFY) && !(flags & MAPI_BEST_ACCESS) && !message->writable) hr = MAPI_E_NO_ACCESS;
    else if (!message->pending.attachments_set && message->obj && !(message->writable && (flags & MAPI_MODIFY)))
    {
        if (PST_NID_TYPE(num) != PST_NID_TYPE_ATTACHMENT) hr = MAPI_E_NOT_FOUND;
        else hr = attach_open( message->child.logon, message->obj, message_path( message, &top ), num, attach );
    }
    else if (FAILED(hr = message_load_attachments( message ))) ;
    else if (!(pending = message_find_attach( message, num ))) hr = MAPI_E_NOT_FOUND;
    else hr = attach_create_pending( message->child.logon, pending, message_attach_commit, (IUnknown *)iface,
                                     message->writable && (flags & (MAPI_MODIFY | MAPI_BEST_ACCESS)), attach );
    message_leave( message );
    return hr;
}

static HRESULT WINAPI message_CreateAttach( IMessage *iface, const IID *iid, ULONG flags, ULONG *num,
                                            IAttach **attach )
{
    struct message *message = impl_from_IMessage( iface );
    struct pending_attach initial;
    HRESULT hr;

    TRACE( "%p, %s, %#lx, %p, %p.\n", iface, debugstr_guid(iid), flags, num, attach );

    if (FAILED(hr = message_enter( message ))) return hr;
    if (!num || !attach) hr = MAPI_E_INVALID_PARAMETER;
    else if (flags & ~MAPI_DEFERRED_ERRORS) hr = MAPI_E_UNKNOWN_FLAGS;
    else if (iid && !IsEqualGUID( iid, &IID_IAttachment ) && !IsEqualGUID( iid, &IID_IMAPIProp )
             && !IsEqualGUID( iid, &IID_IUnknown )) hr = MAPI_E_INTERFACE_NOT_SUPPORTED;
    else if (!message->writable) hr = MAPI_E_NO_ACCESS;
    else if (SUCCEEDED(hr = message_load_attachments( message )))
    {
        /* the attachment joins the message at its own SaveChanges */
        memset( &initial, 0, sizeof(initial) );
        initial.num = message->pending.next_num++;
        if (SUCCEEDED(hr = attach_create_pending( message->child.logon, &initial, message_attach_commit,
                                                  (IUnknown *)iface, TRUE, attach )))
            *num = initial.num;
    }
    message_leave( message );
    return hr;
}

static HRESULT WINAPI message_DeleteAttach( IMessage *iface, ULONG num, ULONG ui_param,
                                            IMAPIProgress *progress, ULONG flags )
{
    struct message *message = impl_from_IMessage( iface );
    struct pending_attach *attach;
    HRESULT hr;

    TRACE( "%p, %lu, %#lx, %p, %#lx.\n", iface, num, ui_param, progress, flags );

    if (FAILED(hr = message_enter( message ))) return hr;
    if (flags & ~MAPI_DIALOG) hr = MAPI_E_UNKNOWN_FLAGS;
    else if (!message->writable) hr = MAPI_E_NO_ACCESS;
    else if (FAILED(hr = message_load_attachments( message ))) ;
    else if (!(attach = message_find_attach( message, num ))) hr = MAPI_E_NOT_FOUND;
    else
    {
        list_remove( &attach->entry );
        pending_attach_free( attach );
    }
    message_leave( message );
    return hr;
}

static HRESULT WINAPI message_GetRecipientTable( IMessage *iface, ULONG flags, IMAPITable **table )
{
    struct message *message = impl_from_IMessage( iface );

    TRACE( "%p, %#lx, %p.\n", iface, flags, table );

    return message_table( message, PST_NID_RECIPIENT_TABLE, PR_ROWID, flags, table );
}

static LONG entry_rowid( const ADRENTRY *entry, BOOL *found )
{
    ULONG i;

    *found = FALSE;
    for (i = 0; i < entry->cValues; i++)
    {
        if (entry->rgPropVals[i].ulPropTag != PR_ROWID) continue;
        *found = TRUE;
        return entry->rgPropVals[i].Value.l;
    }
    return -1;
}

static LONG row_rowid( const struct pending_props *row )
{
    const struct pst_value *value = pending_find( row, PROP_ID(PR_ROWID) );

    return value ? value->u.l : -1;
}

/* A recipient row from the client's entry; PR_ROWID is ROWID. */
static HRESULT recipient_from_entry( const ADRENTRY *entry, LONG rowid, struct pending_props *row )
{
    struct pst_value value;
    HRESULT hr;
    ULONG i;

    memset( row, 0, sizeof(*row) );
    for (i = 0; i < entry->cValues; i++)
    {
        const SPropValue *prop = &entry->rgPropVals[i];

        if (prop->ulPropTag == PR_ROWID || prop->ulPropTag == PR_NULL || PROP_TYPE(prop->ulPropTag) == PT_ERROR)
            continue;
        hr = pending_set_mapi( row, prop, NULL );
        if (hr == MAPI_E_NOT_ENOUGH_MEMORY || hr == MAPI_E_INVALID_PARAMETER)
        {
            pending_props_clear( row );
            return hr;
        }
        /* values a store cannot hold are left out of the row */
    }
    memset( &value, 0, sizeof(value) );
    value.tag = PR_ROWID;
    value.type = PT_LONG;
    value.u.l = rowid;
    if (FAILED(hr = pending_set_value( row, &value, NULL ))) pending_props_clear( row );
    return hr;
}

static HRESULT WINAPI message_ModifyRecipients( IMessage *iface, ULONG flags, ADRLIST *mods )
{
    struct message *message = impl_from_IMessage( iface );
    struct pending_message *m = &message->pending;
    struct pending_props *rows, row;
    HRESULT hr = S_OK;
    ULONG i, j;
    BOOL found;

    TRACE( "%p, %#lx, %p.\n", iface, flags, mods );

    if (FAILED(hr = message_enter( message ))) return hr;
    if (!mods) hr = MAPI_E_INVALID_PARAMETER;
    else if (flags & ~(MODRECIP_ADD | MODRECIP_MODIFY | MODRECIP_REMOVE)) hr = MAPI_E_UNKNOWN_FLAGS;
    /* one operation at a time */
    else if (flags & (flags - 1)) hr = MAPI_E_INVALID_PARAMETER;
    else if (!message->writable) hr = MAPI_E_NO_ACCESS;
    if (FAILED(hr))
    {
        message_leave( message );
        return hr;
    }
    /* MODIFY and REMOVE name their rows by PR_ROWID */
    if (flags & (MODRECIP_MODIFY | MODRECIP_REMOVE))
    {
        for (i = 0; i < mods->cEntries; i++)
        {
            entry_rowid( &mods->aEntries[i], &found );
            if (!found || !mods->aEntries[i].rgPropVals) hr = MAPI_E_INVALID_PARAMETER;
        }
    }
    for (i = 0; SUCCEEDED(hr) && i < mods->cEntries; i++)
        if (mods->aEntries[i].cValues && !mods->aEntries[i].rgPropVals) hr = MAPI_E_INVALID_PARAMETER;
    if (SUCCEEDED(hr) && message->obj) hr = pending_load_recipients( message->obj, m );
    else if (SUCCEEDED(hr)) m->recipients_set = TRUE;
    if (FAILED(hr))
    {
        message_leave( message );
        return hr;
    }

    if (!flags)
    {
        /* the list replaces every recipient */
        for (i = 0; i < m->recipient_count; i++) pending_props_clear( &m->recipients[i] );
        m->recipient_count = 0;
        m->next_rowid = 0;
    }
    if (!flags || (flags & MODRECIP_ADD))
    {
        if (!(rows = realloc( m->recipients, (m->recipient_count + mods->cEntries + 1) * sizeof(*rows) )))
            hr = MAPI_E_NOT_ENOUGH_MEMORY;
        else m->recipients = rows;
        for (i = 0; SUCCEEDED(hr) && i < mods->cEntries; i++)
        {
            /* the store numbers new rows; a PR_ROWID given is ignored */
            if (SUCCEEDED(hr = recipient_from_entry( &mods->aEntries[i], m->next_rowid, &row )))
            {
                m->recipients[m->recipient_count++] = row;
                m->next_rowid++;
            }
        }
    }
    else if (flags & MODRECIP_MODIFY)
    {
        for (i = 0; SUCCEEDED(hr) && i < mods->cEntries; i++)
        {
            LONG rowid = entry_rowid( &mods->aEntries[i], &found );

            for (j = 0; j < m->recipient_count; j++) if (row_rowid( &m->recipients[j] ) == rowid) break;
            if (j == m->recipient_count)
            {
                hr = MAPI_E_NOT_FOUND;
                break;
            }
            /* the row's properties are replaced whole */
            if (SUCCEEDED(hr = recipient_from_entry( &mods->aEntries[i], rowid, &row )))
            {
                pending_props_clear( &m->recipients[j] );
                m->recipients[j] = row;
            }
        }
    }
    else
    {
        for (i = 0; i < mods->cEntries; i++)
        {
            LONG rowid = entry_rowid( &mods->aEntries[i], &found );

            for (j = 0; j < m->recipient_count; j++) if (row_rowid( &m->recipients[j] ) == rowid) break;
            if (j == m->recipient_count) continue;
            pending_props_clear( &m->recipients[j] );
            memmove( &m->recipients[j], &m->recipients[j + 1], (m->recipient_count - j - 1) * sizeof(*m->recipients) );
            m->recipient_count--;
        }
    }
    message_leave( message );
    return hr;
}

static HRESULT WINAPI message_SubmitMessage( IMessage *iface, ULONG flags )
{
    struct message *message = impl_from_IMessage( iface );
    HRESULT hr;

    TRACE( "%p, %#lx.\n", iface, flags );

    if (FAILED(hr = message_enter( message ))) return hr;
    message_leave( message );
    if (flags & ~FORCE_SUBMIT) return MAPI_E_UNKNOWN_FLAGS;
    if (!message->writable) return MAPI_E_NO_ACCESS;
    /* Without a spooler and transport nothing can be sent; the store
     * does not set STORE_SUBMIT_OK in PR_STORE_SUPPORT_MASK. */
    return MAPI_E_NO_SUPPORT;
}

struct set_props_args
{
    uint32_t nid;
    struct pst_propset set;
    const uint32_t *remove;
    uint32_t remove_count;
};

static int write_set_props( struct pst_file *file, void *context )
{
    struct set_props_args *args = context;

    return pst_message_set_props( file, args->nid, &args->set, args->remove, args->remove_count );
}

static void message_notify( struct store_logon *logon, ULONG event, uint32_t nid, uint32_t parent, BOOL notify );

static HRESULT WINAPI message_SetReadFlag( IMessage *iface, ULONG flags )
{
    struct message *message = impl_from_IMessage( iface );
    struct store_logon *logon = message->child.logon;
    struct set_props_args args;
    struct pst_value value;
    const struct pst_value *pending;
    LONG msgflags = 0;
    uint32_t nid = 0, parent = 0;
    HRESULT hr = S_OK;

    TRACE( "%p, %#lx.\n", iface, flags );

    if (FAILED(hr = message_enter( message ))) return hr;
    if (flags & ~(SUPPRESS_RECEIPT | CLEAR_READ_FLAG | MAPI_DEFERRED_ERRORS | GENERATE_RECEIPT_ONLY
                  | CLEAR_RN_PENDING | CLEAR_NRN_PENDING))
        hr = MAPI_E_UNKNOWN_FLAGS;
    /* contradictory requests */
    else if ((flags & SUPPRESS_RECEIPT) && (flags & GENERATE_RECEIPT_ONLY)) hr = MAPI_E_INVALID_PARAMETER;
    else if ((flags & CLEAR_READ_FLAG) && (flags & GENERATE_RECEIPT_ONLY)) hr = MAPI_E_INVALID_PARAMETER;
    /* the read flag is the store's: a read-only store cannot change it */
    else if (!logon->writable) hr = MAPI_E_NO_ACCESS;
    if (FAILED(hr) || (flags & GENERATE_RECEIPT_ONLY))
    {
        /* without a spooler no read receipt is ever sent */
        message_leave( message );
        return hr;
    }
    if ((pending = pending_find( &message->pending.props, PROP_ID(PR_MESSAGE_FLAGS) ))) msgflags = pending->u.l;
    else if (message->obj && !pst_prop_get( message->obj, PR_MESSAGE_FLAGS, &value )) msgflags = value.u.l;
    if (flags & CLEAR_READ_FLAG) msgflags &= ~MSGFLAG_READ;
    else msgflags |= MSGFLAG_READ;
    if (flags & (CLEAR_RN_PENDING | SUPPRESS_RECEIPT)) msgflags &= ~MSGFLAG_RN_PENDING;
    if (flags & CLEAR_NRN_PENDING) msgflags &= ~MSGFLAG_NRN_PENDING;
    memset( &value, 0, sizeof(value) );
    value.tag = PR_MESSAGE_FLAGS;
    value.type = PT_LONG;
    value.u.l = msgflags & ~(MSGFLAG_ASSOCIATED);
    /* SetReadFlag is not transacted for saved messages: it changes the file now */
    if (!message->nid || message->embedded)
        hr = pending_set_value( &message->pending.props, &value, message->obj );
    else
    {
        args.nid = message->nid;
        args.set.props = &value;
        args.set.count = 1;
        args.remove = NULL;
        args.remove_count = 0;
        if (SUCCEEDED(hr = store_logon_transact( logon, write_set_props, &args )))
        {
            if (pending) pending_set_value( &message->pending.props, &value, NULL );
            nid = message->nid;
            parent = message->parent_nid;
        }
    }
    message_leave( message );
    if (nid) message_notify( logon, fnevObjectModified, nid, parent, TRUE );
    return hr;
}

/* Tells MAPI's notification engine about a saved message, by its entry ID
 * and by the store UID (the keys logon_advise subscribes with).  No lock held. */
static void message_notify( struct store_logon *logon, ULONG event, uint32_t nid, uint32_t parent, BOOL notify )
{
    BYTE buffer[FIELD_OFFSET(NOTIFKEY, ab[PST_ENTRYID_SIZE])];
    BYTE entryid[PST_ENTRYID_SIZE], parent_id[PST_ENTRYID_SIZE];
    NOTIFKEY *key = (NOTIFKEY *)buffer;
    NOTIFICATION notification;
    IMAPISupport *support;
    ULONG flags = 0;
    HRESULT hr;

    if (!notify) return;
    EnterCriticalSection( &logon->cs );
    if (logon->state != STORE_ACTIVE || !(support = logon->support))
    {
        LeaveCriticalSection( &logon->cs );
        return;
    }
    IMAPISupport_AddRef( support );
    LeaveCriticalSection( &logon->cs );

    pst_entryid_format( logon->uid, nid, entryid );
    pst_entryid_format( logon->uid, parent, parent_id );
    memset( &notification, 0, sizeof(notification) );
    notification.ulEventType = event;
    notification.info.obj.cbEntryID = PST_ENTRYID_SIZE;
    notification.info.obj.lpEntryID = (ENTRYID *)entryid;
    notification.info.obj.ulObjType = MAPI_MESSAGE;
    notification.info.obj.cbParentID = PST_ENTRYID_SIZE;
    notification.info.obj.lpParentID = (ENTRYID *)parent_id;

    key->cb = PST_ENTRYID_SIZE;
    memcpy( key->ab, entryid, PST_ENTRYID_SIZE );
    if (FAILED(hr = IMAPISupport_Notify( support, key, 1, &notification, &flags )) && hr != MAPI_E_NO_SUPPORT)
        WARN( "Notify returned %#lx.\n", hr );
    key->cb = sizeof(logon->uid);
    memcpy( key->ab, logon->uid, sizeof(logon->uid) );
    flags = 0;
    if (FAILED(hr = IMAPISupport_Notify( support, key, 1, &notification, &flags )) && hr != MAPI_E_NO_SUPPORT)
        WARN( "Notify returned %#lx.\n", hr );
    IMAPISupport_Release( support );
}

struct save_args
{
    uint32_t folder;
    BOOL assoc;
    struct pst_message_data data;
    uint32_t nid;
};

static int write_message( struct pst_file *file, void *context )
{
    struct save_args *args = context;

    return pst_message_save( file, args->folder, args->assoc, &args->data, &args->nid );
}

/* Lock held.  Writes the pending state of a top-level message. */
static HRESULT message_save( struct message *message )
{
    struct store_logon *logon = message->child.logon;
    struct pending_message *m = &message->pending;
    struct set_props_args set_args;
    struct save_args args;
    struct pst_value times[2];
    FILETIME now;
    void *storage;
    HRESULT hr;

    GetSystemTimeAsFileTime( &now );
    memset( times, 0, sizeof(times) );
    times[0].tag = PR_LAST_MODIFICATION_TIME;
    times[0].type = PT_SYSTIME;
    times[0].u.i8 = ((INT64)now.dwHighDateTime << 32) | now.dwLowDateTime;
    times[1] = times[0];
    times[1].tag = PR_CREATION_TIME;
    if (!pending_find( &m->props, PROP_ID(PR_LAST_MODIFICATION_TIME) )
            && FAILED(hr = pending_set_value( &m->props, &times[0], message->obj ))) return hr;
    if (!message->nid && !pending_find( &m->props, PROP_ID(PR_CREATION_TIME) )
            && FAILED(hr = pending_set_value( &m->props, &times[1], NULL ))) return hr;

    if (message->nid && !m->recipients_set && !m->attachments_set)
    {
        /* only properties changed: the engine keeps recipients and attachments */
        set_args.nid = message->nid;
        set_args.set.props = m->props.values;
        set_args.set.count = m->props.count;
        set_args.remove = (const uint32_t *)m->props.deleted;
        set_args.remove_count = m->props.deleted_count;
        hr = store_logon_transact( logon, write_set_props, &set_args );
    }
    else
    {
        /* recipients or attachments changed: the message is written whole */
        if (message->obj && FAILED(hr = pending_load_stored_props( message->obj, &m->props ))) return hr;
        if (!m->recipients_set && message->obj && FAILED(hr = pending_load_recipients( message->obj, m ))) return hr;
        if (FAILED(hr = message_load_attachments( message ))) return hr;
        if (FAILED(hr = pending_build( m, &args.data, &storage ))) return hr;
        args.folder = message->parent_nid;
        args.assoc = message->assoc;
        args.nid = message->nid;
        hr = store_logon_transact( logon, write_message, &args );
        pending_build_free( storage );
        if (SUCCEEDED(hr)) message->nid = args.nid;
    }
    if (FAILED(hr)) return hr;

    /* Start again from what the file now holds, at the next use: a
     * generation behind, message_enter reopens the message then.  A message
     * this SaveChanges closes (no KEEP_OPEN_* flag, the usual case) is not
     * read back at all. */
    pending_message_free( m );
    list_init( &m->attachments );
    if (message->obj) pst_object_close( message->obj );
    message->obj = NULL;
    message->generation = logon->generation - 1;
    return S_OK;
}

static HRESULT WINAPI message_SaveChanges( IMessage *iface, ULONG flags )
{
    struct message *message = impl_from_IMessage( iface );
    struct store_logon *logon = message->child.logon;
    uint32_t old_nid;
    HRESULT hr;

    TRACE( "%p, %#lx.\n", iface, flags );

    if (FAILED(hr = message_enter( message ))) return hr;
    if (flags & ~(KEEP_OPEN_READONLY | KEEP_OPEN_READWRITE | FORCE_SAVE | MAPI_DEFERRED_ERRORS
                  | SPAMFILTER_ONSAVE | NON_EMS_XP_SAVE))
    {
        message_leave( message );
        return MAPI_E_UNKNOWN_FLAGS;
    }
    if (!message->writable)
    {
        message_leave( message );
        return MAPI_E_NO_ACCESS;
    }
    old_nid = message->nid;
    if (message->commit)
    {
        struct pending_message copy;
        HRESULT enter_hr;

        /* an embedded message commits into its attachment's pending state */
        if (SUCCEEDED(hr = pending_message_copy( &copy, &message->pending )))
        {
            message_leave( message );
            hr = message->commit( message->context, &copy );
            pending_message_free( &copy );
            if (FAILED(enter_hr = message_enter( message ))) return enter_hr;
        }
    }
    else hr = message_save( message );
    if (SUCCEEDED(hr))
    {
        /* no KEEP_OPEN_* flag: Release is all that is left to do */
        if (flags & KEEP_OPEN_READWRITE) ;
        else if (flags & KEEP_OPEN_READONLY) message->writable = FALSE;
        else message->closed = TRUE;
    }
    message_leave( message );
    if (SUCCEEDED(hr) && !message->commit)
        message_notify( logon, old_nid ? fnevObjectModified : fnevObjectCreated, message->nid, message->parent_nid,
                        TRUE );
    return hr;
}

static const IMessageVtbl message_vtbl =
{
    message_QueryInterface,
    message_AddRef,
    message_Release,
    message_GetLastError,
    message_SaveChanges,
    message_GetProps,
    message_GetPropList,
    message_OpenProperty,
    message_SetProps,
    message_DeleteProps,
    message_CopyTo,
    message_CopyProps,
    message_GetNamesFromIDs,
    message_GetIDsFromNames,
    message_GetAttachmentTable,
    message_OpenAttach,
    message_CreateAttach,
    message_DeleteAttach,
    message_GetRecipientTable,
    message_ModifyRecipients,
    message_SubmitMessage,
    message_SetReadFlag,
};

static struct message *message_alloc( struct store_logon *logon, struct pst_object *obj, uint32_t nid,
                                      uint32_t parent, BOOL embedded )
{
    struct message *message;

    if (!(message = calloc( 1, sizeof(*message) ))) return NULL;
    message->IMessage_iface.lpVtbl = &message_vtbl;
    message->refcount = 1;
    message->obj = obj;
    message->nid = nid;
    message->parent_nid = parent;
    message->embedded = embedded;
    message->assoc = PST_NID_TYPE(nid) == PST_NID_TYPE_ASSOC_MESSAGE;
    message->generation = logon->generation;
    list_init( &message->pending.attachments );
    store_child_init( &message->child, logon, message_invalidate );
    TRACE( "message %p for node %#x.\n", message, nid );
    return message;
}

/* Lock held; takes OBJ. */
static HRESULT message_wrap( struct store_logon *logon, struct pst_object *obj, uint32_t nid, uint32_t parent,
                             BOOL embedded, ULONG flags, IMessage **out )
{
    struct message *message;

    if (!(message = message_alloc( logon, obj, nid, parent, embedded )))
    {
        pst_object_close( obj );
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    /* MAPI_BEST_ACCESS gets what the store allows */
    message->writable = logon->writable && !embedded && (flags & (MAPI_MODIFY | MAPI_BEST_ACCESS));
    *out = &message->IMessage_iface;
    return S_OK;
}

HRESULT message_open( struct store_logon *logon, uint32_t nid, ULONG flags, IMessage **out )
{
    struct pst_object *obj;
    HRESULT hr;
    int err;

    TRACE( "logon %p, nid %#x, flags %#lx.\n", logon, nid, flags );

    *out = NULL;
    if (PST_NID_TYPE(nid) != PST_NID_TYPE_NORMAL_MESSAGE && PST_NID_TYPE(nid) != PST_NID_TYPE_ASSOC_MESSAGE)
        return MAPI_E_NOT_FOUND;
    EnterCriticalSection( &logon->cs );
    if (logon->state != STORE_ACTIVE) hr = MAPI_E_INVALID_OBJECT;
    else if ((flags & MAPI_MODIFY) && !(flags & MAPI_BEST_ACCESS) && !logon->writable) hr = MAPI_E_NO_ACCESS;
    /* one NBT lookup: the message's folder comes with its node */
    else if ((err = pst_message_open( logon->file, nid, &obj ))) hr = hresult_from_pst( err );
    else hr = message_wrap( logon, obj, nid, pst_object_parent( obj ), FALSE, flags, out );
    LeaveCriticalSection( &logon->cs );
    return hr;
}

HRESULT message_open_embedded( struct store_logon *logon, struct pst_object *attach,
                               const struct object_path *attach_path, IMessage **out )
{
    struct object_path path;
    struct pst_object *obj;
    struct message *message;
    HRESULT hr;
    int err;

    if (FAILED(hr = object_path_copy( &path, attach_path, 0, TRUE ))) return hr;
    if ((err = pst_attachment_open_message( attach, &obj )))
    {
        object_path_free( &path );
        return hresult_from_pst( err );
    }
    if (FAILED(hr = message_wrap( logon, obj, pst_object_nid( obj ), 0, TRUE, 0, out )))
    {
        object_path_free( &path );
        return hr;
    }
    /* reopened through PATH after a commit */
    message = impl_from_IMessage( *out );
    message->path = path;
    return S_OK;
}

HRESULT message_create( struct store_logon *logon, uint32_t folder_nid, BOOL assoc, ULONG flags, IMessage **out )
{
    struct message *message;
    struct pst_value value;
    HRESULT hr = S_OK;

    TRACE( "logon %p, folder %#x, assoc %d, flags %#lx.\n", logon, folder_nid, assoc, flags );

    *out = NULL;
    EnterCriticalSection( &logon->cs );
    if (logon->state != STORE_ACTIVE) hr = MAPI_E_INVALID_OBJECT;
    else if (!logon->writable) hr = MAPI_E_NO_ACCESS;
    else if (!(message = message_alloc( logon, NULL, 0, folder_nid, FALSE ))) hr = MAPI_E_NOT_ENOUGH_MEMORY;
    LeaveCriticalSection( &logon->cs );
    if (FAILED(hr)) return hr;

    message->assoc = assoc;
    message->writable = TRUE;
    message->pending.recipients_set = TRUE;
    message->pending.attachments_set = TRUE;
    /* a new message is unsent and, being the author's, read */
    memset( &value, 0, sizeof(value) );
    value.tag = PR_MESSAGE_FLAGS;
    value.type = PT_LONG;
    value.u.l = MSGFLAG_UNSENT | MSGFLAG_READ;
    if (FAILED(hr = pending_set_value( &message->pending.props, &value, NULL )))
    {
        IMessage_Release( &message->IMessage_iface );
        return hr;
    }
    *out = &message->IMessage_iface;
    return S_OK;
}

HRESULT message_create_embedded( struct store_logon *logon, const struct pending_message *initial,
                                 HRESULT (*commit)(void *context, const struct pending_message *m),
                                 IUnknown *owner, void *context, IMessage **out )
{
    struct message *message;
    HRESULT hr;

    if (!(message = message_alloc( logon, NULL, 0, 0, TRUE ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    message->writable = !!commit;
    message->commit = commit;
    message->owner = owner;
    message->context = context;
    IUnknown_AddRef( owner );
    if (initial) hr = pending_message_copy( &message->pending, initial );
    else
    {
        struct pst_value value;

        memset( &value, 0, sizeof(value) );
        value.tag = PR_MESSAGE_FLAGS;
        value.type = PT_LONG;
        value.u.l = MSGFLAG_UNSENT | MSGFLAG_READ;
        hr = pending_set_value( &message->pending.props, &value, NULL );
    }
    if (FAILED(hr))
    {
        IMessage_Release( &message->IMessage_iface );
        return hr;
    }
    message->pending.recipients_set = TRUE;
    if (!message->pending.attachments_set)
    {
        list_init( &message->pending.attachments );
        message->pending.attachments_set = TRUE;
    }
    *out = &message->IMessage_iface;
    return S_OK;
}
