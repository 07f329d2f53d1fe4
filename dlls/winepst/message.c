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
 * Messages are read-only until the engine can write: every method that
 * would change one checks its documented arguments, then answers
 * MAPI_E_NO_ACCESS.
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
    struct pst_object *obj;    /* NULL once invalidated */
    uint32_t nid;
    uint32_t parent_nid;       /* the folder; 0 for embedded messages */
    BOOL embedded;
};

static inline struct message *impl_from_IMessage( IMessage *iface )
{
    return CONTAINING_RECORD( iface, struct message, IMessage_iface );
}

/* Lock held: at logoff, before the file closes, or when the message goes. */
static void message_invalidate( struct store_child *child )
{
    struct message *message = CONTAINING_RECORD( child, struct message, child );

    if (message->obj) pst_object_close( message->obj );
    message->obj = NULL;
}

static BOOL message_enter( struct message *message )
{
    return store_child_enter( &message->child );
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
        store_child_destroy( &message->child );
        free( message );
    }
    return refcount;
}

static HRESULT WINAPI message_GetLastError( IMessage *iface, HRESULT result, ULONG flags, MAPIERROR **error )
{
    struct message *message = impl_from_IMessage( iface );

    TRACE( "%p, %#lx, %#lx, %p.\n", iface, result, flags, error );

    if (!message_enter( message )) return MAPI_E_INVALID_OBJECT;
    message_leave( message );
    if (!error) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    return mapi_error_create( &message->child.logon->alloc, result, flags, NULL, error );
}

static HRESULT WINAPI message_SaveChanges( IMessage *iface, ULONG flags )
{
    struct message *message = impl_from_IMessage( iface );

    TRACE( "%p, %#lx.\n", iface, flags );

    if (!message_enter( message )) return MAPI_E_INVALID_OBJECT;
    message_leave( message );
    if (flags & ~(KEEP_OPEN_READONLY | KEEP_OPEN_READWRITE | FORCE_SAVE | MAPI_DEFERRED_ERRORS))
        return MAPI_E_UNKNOWN_FLAGS;
    return MAPI_E_NO_ACCESS;
}

/* Lock held.  A subject without Outlook's leading 0x01, length marker. */
static BOOL strip_subject( struct pst_object *obj, SPropValue *prop, void **buffer )
{
    struct pst_value value;

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

struct computed
{
    SPropValue props[MAX_MESSAGE_COMPUTED];
    ULONG count;
    BYTE entryid[PST_ENTRYID_SIZE];
    BYTE parent_entryid[PST_ENTRYID_SIZE];
    void *subject;
};

/* Lock held.  STORE_ID is the wrapped store entry ID or NULL. */
static void message_computed( struct message *message, ULONG store_id_size, ENTRYID *store_id, struct computed *c )
{
    struct store_logon *logon = message->child.logon;
    struct pst_value value;
    LONG flags = 0;
    SPropValue *p = c->props;

    c->count = 0;
    c->subject = NULL;
    if (!message->embedded)
    {
        pst_entryid_format( logon->uid, message->nid, c->entryid );
        p->ulPropTag = PR_ENTRYID;
        p->Value.bin.cb = PST_ENTRYID_SIZE;
        p->Value.bin.lpb = c->entryid;
        p++;
        if (pst_prop_get( message->obj, PR_RECORD_KEY, &value ))
        {
            p->ulPropTag = PR_RECORD_KEY;
            p->Value.bin.cb = PST_ENTRYID_SIZE;
            p->Value.bin.lpb = c->entryid;
            p++;
        }
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
    /* read-only until the engine writes */
    p->ulPropTag = PR_ACCESS;
    p->Value.l = MAPI_ACCESS_READ;
    p++;
    p->ulPropTag = PR_ACCESS_LEVEL;
    p->Value.l = 0;
    p++;
    if (!pst_prop_get( message->obj, PR_MESSAGE_FLAGS, &value )) flags = value.u.l;
    if (PST_NID_TYPE(message->nid) == PST_NID_TYPE_ASSOC_MESSAGE) flags |= MSGFLAG_ASSOCIATED;
    p->ulPropTag = PR_MESSAGE_FLAGS;
    p->Value.l = flags;
    p++;
    p->ulPropTag = PR_HASATTACH;
    p->Value.b = !!(flags & MSGFLAG_HASATTACH);
    p++;
    if (strip_subject( message->obj, p, &c->subject )) p++;
    c->count = p - c->props;
}

static HRESULT WINAPI message_GetProps( IMessage *iface, SPropTagArray *tags, ULONG flags, ULONG *count,
                                        SPropValue **props )
{
    struct message *message = impl_from_IMessage( iface );
    const struct mapi_allocators *alloc = &message->child.logon->alloc;
    ENTRYID *store_id = NULL;
    ULONG store_id_size = 0;
    struct computed c;
    HRESULT hr;

    TRACE( "%p, %p, %#lx, %p, %p.\n", iface, tags, flags, count, props );

    if (!count || !props || (tags && !tags->cValues)) return MAPI_E_INVALID_PARAMETER;
    if (FAILED(hr = store_wrapped_entryid( message->child.logon, &store_id_size, &store_id )))
    {
        if (hr == MAPI_E_INVALID_OBJECT) return hr;
        WARN( "no store entry ID: %#lx.\n", hr );
    }
    if (!message_enter( message ))
    {
        if (store_id) alloc->free_buffer( store_id );
        return MAPI_E_INVALID_OBJECT;
    }
    message_computed( message, store_id_size, store_id, &c );
    hr = props_get( alloc, message->obj, c.props, c.count, tags, flags, count, props );
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

    if (!message_enter( message )) return MAPI_E_INVALID_OBJECT;
    /* only the tags count here: any store entry ID stands for the real one */
    message_computed( message, sizeof(dummy), &dummy, &c );
    hr = props_get_list( &message->child.logon->alloc, message->obj, c.props, c.count, flags, tags );
    message_leave( message );
    free( c.subject );
    return hr;
}

/* Checks shared by OpenProperty of messages and attachments. */
HRESULT open_property_check( ULONG tag, const IID *iid, ULONG flags, IUnknown **unk )
{
    if (!unk || !iid) return MAPI_E_INVALID_PARAMETER;
    *unk = NULL;
    if (PROP_TYPE(tag) == PT_UNSPECIFIED) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(MAPI_MODIFY | MAPI_CREATE | MAPI_DEFERRED_ERRORS | STREAM_APPEND | MAPI_BEST_ACCESS))
        return MAPI_E_UNKNOWN_FLAGS;
    /* nothing can be written yet */
    if (flags & (MAPI_MODIFY | MAPI_CREATE)) return MAPI_E_NO_ACCESS;
    return S_OK;
}

static BOOL is_stream_type( ULONG type )
{
    return type == PT_BINARY || type == PT_STRING8 || type == PT_UNICODE;
}

static HRESULT WINAPI message_OpenProperty( IMessage *iface, ULONG tag, const IID *iid, ULONG options,
                                            ULONG flags, IUnknown **unk )
{
    struct message *message = impl_from_IMessage( iface );
    HRESULT hr;

    TRACE( "%p, %#lx, %s, %#lx, %#lx, %p.\n", iface, tag, debugstr_guid(iid), options, flags, unk );

    if (!message_enter( message )) return MAPI_E_INVALID_OBJECT;
    if (FAILED(hr = open_property_check( tag, iid, flags, unk )))
    {
        message_leave( message );
        return hr;
    }
    if (IsEqualGUID( iid, &IID_IStream ) && is_stream_type( PROP_TYPE(tag) ))
        hr = stream_create( message->child.logon, message->obj, tag, (IStream **)unk );
    else if (IsEqualGUID( iid, &IID_IMAPITable ) && (tag == PR_MESSAGE_RECIPIENTS || tag == PR_MESSAGE_ATTACHMENTS))
    {
        message_leave( message );
        if (tag == PR_MESSAGE_RECIPIENTS)
            return IMessage_GetRecipientTable( iface, flags & MAPI_DEFERRED_ERRORS, (IMAPITable **)unk );
        return IMessage_GetAttachmentTable( iface, flags & MAPI_DEFERRED_ERRORS, (IMAPITable **)unk );
    }
    else if (pst_prop_get( message->obj, PROP_TAG(PT_UNSPECIFIED, PROP_ID(tag)), &(struct pst_value){0} ) == PST_E_NOT_FOUND)
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

    TRACE( "%p, %lu, %p, %p.\n", iface, count, props, problems );

    if (!message_enter( message )) return MAPI_E_INVALID_OBJECT;
    message_leave( message );
    if (!props) return MAPI_E_INVALID_PARAMETER;
    return MAPI_E_NO_ACCESS;
}

static HRESULT WINAPI message_DeleteProps( IMessage *iface, SPropTagArray *tags, SPropProblemArray **problems )
{
    struct message *message = impl_from_IMessage( iface );

    TRACE( "%p, %p, %p.\n", iface, tags, problems );

    if (!message_enter( message )) return MAPI_E_INVALID_OBJECT;
    message_leave( message );
    if (!tags) return MAPI_E_INVALID_PARAMETER;
    return MAPI_E_NO_ACCESS;
}

static HRESULT WINAPI message_CopyTo( IMessage *iface, ULONG exclude_count, const IID *exclude_iids,
                                      SPropTagArray *exclude_props, ULONG ui_param, IMAPIProgress *progress,
                                      const IID *iid, void *dest, ULONG flags, SPropProblemArray **problems )
{
    struct message *message = impl_from_IMessage( iface );

    TRACE( "%p, %lu, %p, %p, %#lx, %p, %s, %p, %#lx, %p.\n", iface, exclude_count, exclude_iids, exclude_props,
           ui_param, progress, debugstr_guid(iid), dest, flags, problems );

    if (!message_enter( message )) return MAPI_E_INVALID_OBJECT;
    message_leave( message );
    if (!dest || !iid || (exclude_count && !exclude_iids)) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(MAPI_DIALOG | MAPI_MOVE | MAPI_NOREPLACE | MAPI_DECLINE_OK | MAPI_DEFERRED_ERRORS))
        return MAPI_E_UNKNOWN_FLAGS;
    /* moving would delete from this read-only message */
    if (flags & MAPI_MOVE) return MAPI_E_NO_ACCESS;
    FIXME( "copying messages is not implemented.\n" );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI message_CopyProps( IMessage *iface, SPropTagArray *include_props, ULONG ui_param,
                                         IMAPIProgress *progress, const IID *iid, void *dest, ULONG flags,
                                         SPropProblemArray **problems )
{
    struct message *message = impl_from_IMessage( iface );

    TRACE( "%p, %p, %#lx, %p, %s, %p, %#lx, %p.\n", iface, include_props, ui_param, progress,
           debugstr_guid(iid), dest, flags, problems );

    if (!message_enter( message )) return MAPI_E_INVALID_OBJECT;
    message_leave( message );
    if (!dest || !iid || !include_props) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(MAPI_DIALOG | MAPI_MOVE | MAPI_NOREPLACE | MAPI_DECLINE_OK | MAPI_DEFERRED_ERRORS))
        return MAPI_E_UNKNOWN_FLAGS;
    if (flags & MAPI_MOVE) return MAPI_E_NO_ACCESS;
    FIXME( "copying messages is not implemented.\n" );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI message_GetNamesFromIDs( IMessage *iface, SPropTagArray **tags, GUID *guid, ULONG flags,
                                               ULONG *count, MAPINAMEID ***names )
{
    struct message *message = impl_from_IMessage( iface );
    HRESULT hr;

    TRACE( "%p, %p, %s, %#lx, %p, %p.\n", iface, tags, debugstr_guid(guid), flags, count, names );

    if (!message_enter( message )) return MAPI_E_INVALID_OBJECT;
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

    if (!message_enter( message )) return MAPI_E_INVALID_OBJECT;
    hr = props_get_ids_from_names( message->child.logon, count, names, flags, tags );
    message_leave( message );
    return hr;
}

static HRESULT message_table( struct message *message, uint32_t which, ULONG key, ULONG flags, IMAPITable **out )
{
    struct pst_table *tc = NULL;
    HRESULT hr;
    int err;

    if (!out) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(MAPI_UNICODE | MAPI_DEFERRED_ERRORS)) return MAPI_E_UNKNOWN_FLAGS;
    if (!message_enter( message )) return MAPI_E_INVALID_OBJECT;
    err = pst_message_open_table( message->obj, which, &tc );
    /* a message without the table has no rows */
    if (err && err != PST_E_NOT_FOUND) hr = hresult_from_pst( err );
    else hr = table_from_tc( message->child.logon, tc, key, flags, out );
    if (tc) pst_table_close( tc );
    message_leave( message );
    return hr;
}

static HRESULT WINAPI message_GetAttachmentTable( IMessage *iface, ULONG flags, IMAPITable **table )
{
    struct message *message = impl_from_IMessage( iface );

    TRACE( "%p, %#lx, %p.\n", iface, flags, table );

    return message_table( message, PST_NID_ATTACHMENT_TABLE, PR_ATTACH_NUM, flags, table );
}

static HRESULT WINAPI message_OpenAttach( IMessage *iface, ULONG num, const IID *iid, ULONG flags, IAttach **attach )
{
    struct message *message = impl_from_IMessage( iface );
    HRESULT hr;

    TRACE( "%p, %lu, %s, %#lx, %p.\n", iface, num, debugstr_guid(iid), flags, attach );

    if (!message_enter( message )) return MAPI_E_INVALID_OBJECT;
    if (!attach) hr = MAPI_E_INVALID_PARAMETER;
    else if (flags & ~(MAPI_MODIFY | MAPI_DEFERRED_ERRORS | MAPI_BEST_ACCESS)) hr = MAPI_E_UNKNOWN_FLAGS;
    else if (iid && !IsEqualGUID( iid, &IID_IAttachment ) && !IsEqualGUID( iid, &IID_IMAPIProp )
             && !IsEqualGUID( iid, &IID_IUnknown )) hr = MAPI_E_INTERFACE_NOT_SUPPORTED;
    else if (flags & MAPI_MODIFY) hr = MAPI_E_NO_ACCESS;
    else if (PST_NID_TYPE(num) != PST_NID_TYPE_ATTACHMENT) hr = MAPI_E_NOT_FOUND;
    else hr = attach_open( message->child.logon, message->obj, num, attach );
    message_leave( message );
    return hr;
}

static HRESULT WINAPI message_CreateAttach( IMessage *iface, const IID *iid, ULONG flags, ULONG *num,
                                            IAttach **attach )
{
    struct message *message = impl_from_IMessage( iface );

    TRACE( "%p, %s, %#lx, %p, %p.\n", iface, debugstr_guid(iid), flags, num, attach );

    if (!message_enter( message )) return MAPI_E_INVALID_OBJECT;
    message_leave( message );
    if (!num || !attach) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~MAPI_DEFERRED_ERRORS) return MAPI_E_UNKNOWN_FLAGS;
    return MAPI_E_NO_ACCESS;
}

static HRESULT WINAPI message_DeleteAttach( IMessage *iface, ULONG num, ULONG ui_param,
                                            IMAPIProgress *progress, ULONG flags )
{
    struct message *message = impl_from_IMessage( iface );

    TRACE( "%p, %lu, %#lx, %p, %#lx.\n", iface, num, ui_param, progress, flags );

    if (!message_enter( message )) return MAPI_E_INVALID_OBJECT;
    message_leave( message );
    if (flags & ~MAPI_DIALOG) return MAPI_E_UNKNOWN_FLAGS;
    return MAPI_E_NO_ACCESS;
}

static HRESULT WINAPI message_GetRecipientTable( IMessage *iface, ULONG flags, IMAPITable **table )
{
    struct message *message = impl_from_IMessage( iface );

    TRACE( "%p, %#lx, %p.\n", iface, flags, table );

    return message_table( message, PST_NID_RECIPIENT_TABLE, PR_ROWID, flags, table );
}

static HRESULT WINAPI message_ModifyRecipients( IMessage *iface, ULONG flags, ADRLIST *mods )
{
    struct message *message = impl_from_IMessage( iface );

    TRACE( "%p, %#lx, %p.\n", iface, flags, mods );

    if (!message_enter( message )) return MAPI_E_INVALID_OBJECT;
    message_leave( message );
    if (!mods) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(MODRECIP_ADD | MODRECIP_MODIFY | MODRECIP_REMOVE)) return MAPI_E_UNKNOWN_FLAGS;
    return MAPI_E_NO_ACCESS;
}

static HRESULT WINAPI message_SubmitMessage( IMessage *iface, ULONG flags )
{
    struct message *message = impl_from_IMessage( iface );

    TRACE( "%p, %#lx.\n", iface, flags );

    if (!message_enter( message )) return MAPI_E_INVALID_OBJECT;
    message_leave( message );
    if (flags & ~FORCE_SUBMIT) return MAPI_E_UNKNOWN_FLAGS;
    return MAPI_E_NO_ACCESS;
}

static HRESULT WINAPI message_SetReadFlag( IMessage *iface, ULONG flags )
{
    struct message *message = impl_from_IMessage( iface );

    TRACE( "%p, %#lx.\n", iface, flags );

    if (!message_enter( message )) return MAPI_E_INVALID_OBJECT;
    message_leave( message );
    if (flags & ~(SUPPRESS_RECEIPT | CLEAR_READ_FLAG | MAPI_DEFERRED_ERRORS | GENERATE_RECEIPT_ONLY
                  | CLEAR_RN_PENDING | CLEAR_NRN_PENDING))
        return MAPI_E_UNKNOWN_FLAGS;
    /* contradictory requests */
    if ((flags & SUPPRESS_RECEIPT) && (flags & GENERATE_RECEIPT_ONLY)) return MAPI_E_INVALID_PARAMETER;
    if ((flags & CLEAR_READ_FLAG) && (flags & GENERATE_RECEIPT_ONLY)) return MAPI_E_INVALID_PARAMETER;
    return MAPI_E_NO_ACCESS;
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

/* Lock held; takes OBJ. */
static HRESULT message_create( struct store_logon *logon, struct pst_object *obj, uint32_t nid, uint32_t parent,
                               BOOL embedded, IMessage **out )
{
    struct message *message;

    if (!(message = calloc( 1, sizeof(*message) )))
    {
        pst_object_close( obj );
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    message->IMessage_iface.lpVtbl = &message_vtbl;
    message->refcount = 1;
    message->obj = obj;
    message->nid = nid;
    message->parent_nid = parent;
    message->embedded = embedded;
    store_child_init( &message->child, logon, message_invalidate );
    TRACE( "message %p for node %#x.\n", message, nid );
    *out = &message->IMessage_iface;
    return S_OK;
}

HRESULT message_open( struct store_logon *logon, uint32_t nid, ULONG flags, IMessage **out )
{
    struct pst_node_info info;
    struct pst_object *obj;
    HRESULT hr;
    int err;

    TRACE( "logon %p, nid %#x, flags %#lx.\n", logon, nid, flags );

    *out = NULL;
    if (PST_NID_TYPE(nid) != PST_NID_TYPE_NORMAL_MESSAGE && PST_NID_TYPE(nid) != PST_NID_TYPE_ASSOC_MESSAGE)
        return MAPI_E_NOT_FOUND;
    EnterCriticalSection( &logon->cs );
    if (logon->state != STORE_ACTIVE) hr = MAPI_E_INVALID_OBJECT;
    else if ((err = pst_node_get( logon->file, nid, &info ))) hr = hresult_from_pst( err );
    else if ((err = pst_message_open( logon->file, nid, &obj ))) hr = hresult_from_pst( err );
    else hr = message_create( logon, obj, nid, info.nid_parent, FALSE, out );
    LeaveCriticalSection( &logon->cs );
    return hr;
}

HRESULT message_open_embedded( struct store_logon *logon, struct pst_object *attach, IMessage **out )
{
    struct pst_object *obj;
    int err;

    if ((err = pst_attachment_open_message( attach, &obj ))) return hresult_from_pst( err );
    return message_create( logon, obj, pst_object_nid( obj ), 0, TRUE, out );
}
