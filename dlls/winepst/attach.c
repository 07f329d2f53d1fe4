/*
 * winepst: IAttach over a PST attachment
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
 * An attachment is the PC in a subnode of its message.  Computed
 * properties: PR_ATTACH_NUM (the subnode NID, as in the attachment table),
 * PR_OBJECT_TYPE (MAPI_ATTACH), PR_RECORD_KEY when the file stores none
 * (the attachment number's four bytes), PR_STORE_ENTRYID,
 * PR_STORE_RECORD_KEY, PR_ACCESS and PR_ACCESS_LEVEL.  Small
 * PR_ATTACH_DATA_BIN values come with GetProps, big ones only through
 * OpenProperty's IStream (props.c's PROPS_MAX_VALUE).  PR_ATTACH_DATA_OBJ
 * of an ATTACH_EMBEDDED_MSG attachment opens as an IMessage that, like
 * every child, dies at logoff.
 *
 * Attachments of a message being edited are "pending": the IAttach works
 * on its own copy of the attachment (struct pending_attach, pending.c),
 * transacted like every MAPI attachment: its SaveChanges hands the copy
 * to the message, whose SaveChanges writes it.  Their PR_ATTACH_DATA_OBJ
 * opens (or, with MAPI_CREATE, creates) an embedded message that commits
 * into the attachment's copy the same way, and their streams are
 * writable.  Attachments opened without MAPI_MODIFY read the file and
 * refuse writes with MAPI_E_NO_ACCESS.  CopyTo / CopyProps go through
 * MAPI's support object (message.c's copy_through_support), which also
 * copies an embedded message unless IID_IMessage or PR_ATTACH_DATA_OBJ is
 * excluded.
 *
 * STALE HANDLES  A commit through the logon (another message's
 * SaveChanges, a folder change) may free the blocks an open attachment
 * read, and the next transaction may reuse their space.  An attachment
 * read from the file therefore remembers where it lives (struct
 * object_path: its top-level message, then the attachment NIDs down the
 * embedded messages) and the commit (logon->generation) it was opened at,
 * and reopens the chain on its first call after a later commit.  A moved
 * message keeps its NID, so its attachments follow it; when the message or
 * the attachment is gone, every method but AddRef, Release and
 * GetLastError answers MAPI_E_OBJECT_DELETED.
 */

#include "winepst_private.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(winepst);

struct attach
{
    IAttach IAttach_iface;
    LONG refcount;
    struct store_child child;
    struct pst_object *obj;    /* NULL once invalidated, and for pending attachments */
    uint32_t nid;              /* PR_ATTACH_NUM */
    struct object_path path;   /* of obj, for reopening it after a commit */
    ULONG generation;          /* logon->generation obj was opened at */
    BOOL deleted;              /* a commit removed it: MAPI_E_OBJECT_DELETED */
    BOOL pending;              /* works on WORK, not on the file */
    BOOL writable;
    BOOL closed;               /* SaveChanges without KEEP_OPEN_*: only Release is left */
    struct pending_attach work;
    HRESULT (*commit)(IUnknown *owner, const struct pending_attach *attach);
    IUnknown *owner;           /* the message, for pending attachments */
};

static inline struct attach *impl_from_IAttach( IAttach *iface )
{
    return CONTAINING_RECORD( iface, struct attach, IAttach_iface );
}

/* Lock held: at logoff, before the file closes, or when the attachment goes. */
static void attach_invalidate( struct store_child *child )
{
    struct attach *attach = CONTAINING_RECORD( child, struct attach, child );

    if (attach->obj) pst_object_close( attach->obj );
    attach->obj = NULL;
    pending_props_clear( &attach->work.props );
    if (attach->work.embedded)
    {
        pending_message_free( attach->work.embedded );
        free( attach->work.embedded );
        attach->work.embedded = NULL;
    }
}

/* Enters the logon (S_OK, lock held), reopening a stored attachment after
 * a commit; on failure nothing is held. */
static HRESULT attach_enter( struct attach *attach )
{
    struct store_logon *logon = attach->child.logon;
    struct pst_object *obj;
    HRESULT hr = S_OK;

    if (!store_child_enter( &attach->child )) return MAPI_E_INVALID_OBJECT;
    if (attach->closed) hr = MAPI_E_INVALID_OBJECT;
    else if (attach->deleted) hr = MAPI_E_OBJECT_DELETED;
    else if (!attach->pending && attach->generation != logon->generation)
    {
        /* never read through a handle of an older commit */
        if (attach->obj) pst_object_close( attach->obj );
        attach->obj = NULL;
        if (SUCCEEDED(hr = object_path_open( logon, &attach->path, &obj )))
        {
            attach->obj = obj;
            attach->generation = logon->generation;
        }
        else if (hr == MAPI_E_OBJECT_DELETED) attach->deleted = TRUE;
        else WARN( "reopening failed: %#lx.\n", hr );
    }
    if (FAILED(hr)) store_child_leave( &attach->child );
    return hr;
}

static void attach_leave( struct attach *attach )
{
    store_child_leave( &attach->child );
}

static HRESULT WINAPI attach_QueryInterface( IAttach *iface, REFIID riid, void **out )
{
    struct attach *attach = impl_from_IAttach( iface );

    TRACE( "%p, %s, %p.\n", iface, debugstr_guid(riid), out );

    if (!out) return MAPI_E_INVALID_PARAMETER;
    if (IsEqualGUID( riid, &IID_IUnknown ) || IsEqualGUID( riid, &IID_IMAPIProp )
            || IsEqualGUID( riid, &IID_IAttachment ))
    {
        *out = &attach->IAttach_iface;
        IAttach_AddRef( &attach->IAttach_iface );
        return S_OK;
    }
    WARN( "Unsupported %s.\n", debugstr_guid(riid) );
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI attach_AddRef( IAttach *iface )
{
    struct attach *attach = impl_from_IAttach( iface );
    ULONG refcount = InterlockedIncrement( &attach->refcount );

    TRACE( "%p, refcount %lu.\n", iface, refcount );
    return refcount;
}

static ULONG WINAPI attach_Release( IAttach *iface )
{
    struct attach *attach = impl_from_IAttach( iface );
    ULONG refcount = InterlockedDecrement( &attach->refcount );

    TRACE( "%p, refcount %lu.\n", iface, refcount );

    if (!refcount)
    {
        store_child_destroy( &attach->child );
        if (attach->owner) IUnknown_Release( attach->owner );
        object_path_free( &attach->path );
        free( attach );
    }
    return refcount;
}

static HRESULT WINAPI attach_GetLastError( IAttach *iface, HRESULT result, ULONG flags, MAPIERROR **error )
{
    struct attach *attach = impl_from_IAttach( iface );
    HRESULT hr;

    TRACE( "%p, %#lx, %#lx, %p.\n", iface, result, flags, error );

    /* a deleted attachment can still describe its errors */
    if (FAILED(hr = attach_enter( attach )) && hr != MAPI_E_OBJECT_DELETED) return hr;
    if (SUCCEEDED(hr)) attach_leave( attach );
    if (!error) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    return mapi_error_create( &attach->child.logon->alloc, result, flags, NULL, error );
}

static HRESULT WINAPI attach_SaveChanges( IAttach *iface, ULONG flags )
{
    struct attach *attach = impl_from_IAttach( iface );
    struct pending_attach *copy;
    HRESULT hr, enter;

    TRACE( "%p, %#lx.\n", iface, flags );

    if (FAILED(hr = attach_enter( attach ))) return hr;
    if (flags & ~(KEEP_OPEN_READONLY | KEEP_OPEN_READWRITE | FORCE_SAVE | MAPI_DEFERRED_ERRORS))
        hr = MAPI_E_UNKNOWN_FLAGS;
    else if (!attach->writable) hr = MAPI_E_NO_ACCESS;
    else if (SUCCEEDED(hr = pending_attach_copy( &attach->work, &copy )))
    {
        attach_leave( attach );
        /* into the message's pending state; the message takes its own lock */
        hr = attach->commit( attach->owner, copy );
        pending_attach_free( copy );
        /* a failed commit (no memory) must not be reported as a success */
        if (FAILED(enter = attach_enter( attach ))) return enter;
        if (SUCCEEDED(hr))
        {
            if (flags & KEEP_OPEN_READWRITE) ;
            else if (flags & KEEP_OPEN_READONLY) attach->writable = FALSE;
            else attach->closed = TRUE;
        }
    }
    attach_leave( attach );
    return hr;
}

#define MAX_ATTACH_COMPUTED 8

/* Properties a client cannot set or delete: the store computes them. */
static const ULONG attach_readonly[] =
{
    PR_ATTACH_NUM, PR_OBJECT_TYPE, PR_RECORD_KEY, PR_STORE_ENTRYID, PR_STORE_RECORD_KEY, PR_ACCESS,
    PR_ACCESS_LEVEL, PR_INSTANCE_KEY,
};

struct attach_computed
{
    SPropValue props[MAX_ATTACH_COMPUTED];
    ULONG count;
    BYTE record_key[4];
};

/* Lock held. */
static void attach_computed( struct attach *attach, ULONG store_id_size, ENTRYID *store_id,
                             struct attach_computed *c )
{
    struct store_logon *logon = attach->child.logon;
    struct pst_value value;
    SPropValue *p = c->props;

    p->ulPropTag = PR_ATTACH_NUM;
    p->Value.l = attach->nid;
    p++;
    p->ulPropTag = PR_OBJECT_TYPE;
    p->Value.l = MAPI_ATTACH;
    p++;
    if (!attach->obj || pst_prop_get( attach->obj, PR_RECORD_KEY, &value ))
    {
        memcpy( c->record_key, &attach->nid, sizeof(c->record_key) );
        p->ulPropTag = PR_RECORD_KEY;
        p->Value.bin.cb = sizeof(c->record_key);
        p->Value.bin.lpb = c->record_key;
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
    p->ulPropTag = PR_ACCESS;
    p->Value.l = attach->writable ? MAPI_ACCESS_READ | MAPI_ACCESS_MODIFY : MAPI_ACCESS_READ;
    p++;
    p->ulPropTag = PR_ACCESS_LEVEL;
    p->Value.l = attach->writable ? MAPI_MODIFY : 0;
    p++;
    c->count = p - c->props;
}

static HRESULT WINAPI attach_GetProps( IAttach *iface, SPropTagArray *tags, ULONG flags, ULONG *count,
                                       SPropValue **props )
{
    struct attach *attach = impl_from_IAttach( iface );
    const struct mapi_allocators *alloc = &attach->child.logon->alloc;
    struct attach_computed c;
    ENTRYID *store_id = NULL;
    ULONG store_id_size = 0;
    HRESULT hr;

    TRACE( "%p, %p, %#lx, %p, %p.\n", iface, tags, flags, count, props );

    if (!count || !props || (tags && !tags->cValues)) return MAPI_E_INVALID_PARAMETER;
    if (FAILED(hr = store_wrapped_entryid( attach->child.logon, &store_id_size, &store_id )))
    {
        if (hr == MAPI_E_INVALID_OBJECT) return hr;
        WARN( "no store entry ID: %#lx.\n", hr );
    }
    if (FAILED(hr = attach_enter( attach )))
    {
        if (store_id) alloc->free_buffer( store_id );
        return hr;
    }
    attach_computed( attach, store_id_size, store_id, &c );
    hr = pending_get_props( alloc, attach->obj, &attach->work.props, c.props, c.count, tags, flags, count, props );
    attach_leave( attach );
    if (store_id) alloc->free_buffer( store_id );
    return hr;
}

static HRESULT WINAPI attach_GetPropList( IAttach *iface, ULONG flags, SPropTagArray **tags )
{
    struct attach *attach = impl_from_IAttach( iface );
    struct attach_computed c;
    static ENTRYID dummy;
    HRESULT hr;

    TRACE( "%p, %#lx, %p.\n", iface, flags, tags );

    if (FAILED(hr = attach_enter( attach ))) return hr;
    attach_computed( attach, sizeof(dummy), &dummy, &c );
    hr = pending_get_list( &attach->child.logon->alloc, attach->obj, &attach->work.props, c.props, c.count, flags,
                           tags );
    attach_leave( attach );
    return hr;
}

/* An embedded message's SaveChanges: its state becomes the attachment's. */
static HRESULT attach_embedded_commit( void *context, const struct pending_message *m )
{
    struct attach *attach = context;
    struct pending_message *copy;
    struct pst_value value;
    HRESULT hr;

    if (FAILED(hr = attach_enter( attach ))) return hr;
    if (!(copy = malloc( sizeof(*copy) ))) hr = MAPI_E_NOT_ENOUGH_MEMORY;
    else if (FAILED(hr = pending_message_copy( copy, m ))) free( copy );
    else
    {
        if (attach->work.embedded)
        {
            pending_message_free( attach->work.embedded );
            free( attach->work.embedded );
        }
        attach->work.embedded = copy;
        /* an embedded message makes the attachment one */
        if (!pending_find( &attach->work.props, PROP_ID(PR_ATTACH_METHOD) ))
        {
            memset( &value, 0, sizeof(value) );
            value.tag = PR_ATTACH_METHOD;
            value.type = PT_LONG;
            value.u.l = ATTACH_EMBEDDED_MSG;
            hr = pending_set_value( &attach->work.props, &value, NULL );
        }
    }
    attach_leave( attach );
    return hr;
}

static HRESULT attach_stream_commit( IUnknown *owner, ULONG tag, const void *data, size_t size )
{
    struct attach *attach = impl_from_IAttach( (IAttach *)owner );
    HRESULT hr;

    if (FAILED(attach_enter( attach ))) return STG_E_REVERTED;
    hr = pending_stream_commit( &attach->work.props, NULL, tag, data, size );
    attach_leave( attach );
    return hr;
}

/* Lock held. */
static HRESULT attach_open_pending_property( struct attach *attach, ULONG tag, const IID *iid, ULONG flags,
                                             IUnknown **unk )
{
    if (tag == PR_ATTACH_DATA_OBJ)
    {
        if (!IsEqualGUID( iid, &IID_IMessage ) && !IsEqualGUID( iid, &IID_IMAPIProp ))
            return MAPI_E_INTERFACE_NOT_SUPPORTED;
        if (!attach->work.embedded && !(flags & MAPI_CREATE)) return MAPI_E_NOT_FOUND;
        return message_create_embedded( attach->child.logon, (flags & MAPI_CREATE) ? NULL : attach->work.embedded,
                                        attach->writable && (flags & (MAPI_MODIFY | MAPI_CREATE))
                                            ? attach_embedded_commit : NULL,
                                        (IUnknown *)&attach->IAttach_iface, attach, (IMessage **)unk );
    }
    if (IsEqualGUID( iid, &IID_IStream )
            && (PROP_TYPE(tag) == PT_BINARY || PROP_TYPE(tag) == PT_STRING8 || PROP_TYPE(tag) == PT_UNICODE))
        return pending_stream_open( attach->child.logon, &attach->work.props, NULL, tag, flags, attach_stream_commit,
                                    (IUnknown *)&attach->IAttach_iface, (IStream **)unk );
    if (!pending_find( &attach->work.props, PROP_ID(tag) )) return MAPI_E_NOT_FOUND;
    return MAPI_E_INTERFACE_NOT_SUPPORTED;
}

static HRESULT WINAPI attach_OpenProperty( IAttach *iface, ULONG tag, const IID *iid, ULONG options,
                                           ULONG flags, IUnknown **unk )
{
    struct attach *attach = impl_from_IAttach( iface );
    struct pst_value value;
    HRESULT hr;
    int err;

    TRACE( "%p, %#lx, %s, %#lx, %#lx, %p.\n", iface, tag, debugstr_guid(iid), options, flags, unk );

    if (FAILED(hr = attach_enter( attach ))) return hr;
    if (FAILED(hr = open_property_check( tag, iid, flags, unk ))) goto done;
    if ((flags & (MAPI_MODIFY | MAPI_CREATE)) && !attach->writable)
    {
        hr = MAPI_E_NO_ACCESS;
        goto done;
    }
    if (attach->pending)
    {
        hr = attach_open_pending_property( attach, tag, iid, flags, unk );
        goto done;
    }

    if (tag == PR_ATTACH_DATA_OBJ)
    {
        /* PR_ATTACH_DATA_BIN shares the ID: only a stored object counts */
        if (pst_prop_get( attach->obj, PR_ATTACH_DATA_OBJ, &value ) == PST_E_NOT_FOUND)
            hr = MAPI_E_NOT_FOUND;
        else if (pst_prop_get( attach->obj, PR_ATTACH_METHOD, &value ) || value.u.l != ATTACH_EMBEDDED_MSG)
        {
            FIXME( "OLE attachments are not implemented.\n" );
            hr = MAPI_E_NO_SUPPORT;
        }
        else if (!IsEqualGUID( iid, &IID_IMessage ) && !IsEqualGUID( iid, &IID_IMAPIProp ))
            hr = MAPI_E_INTERFACE_NOT_SUPPORTED;
        else
            hr = message_open_embedded( attach->child.logon, attach->obj, &attach->path, (IMessage **)unk );
        goto done;
    }
    err = pst_prop_get( attach->obj, PROP_TAG(PT_UNSPECIFIED, PROP_ID(tag)), &value );
    if (err == PST_E_NOT_FOUND)
        hr = MAPI_E_NOT_FOUND;
    else if (IsEqualGUID( iid, &IID_IStream )
             && (PROP_TYPE(tag) == PT_BINARY || PROP_TYPE(tag) == PT_STRING8 || PROP_TYPE(tag) == PT_UNICODE))
        hr = stream_create_path( attach->child.logon, attach->obj, &attach->path, tag, (IStream **)unk );
    else
        hr = MAPI_E_INTERFACE_NOT_SUPPORTED;

done:
    attach_leave( attach );
    return hr;
}

static HRESULT WINAPI attach_SetProps( IAttach *iface, ULONG count, SPropValue *props,
                                       SPropProblemArray **problems )
{
    struct attach *attach = impl_from_IAttach( iface );
    HRESULT hr;

    TRACE( "%p, %lu, %p, %p.\n", iface, count, props, problems );

    if (FAILED(hr = attach_enter( attach ))) return hr;
    if (!props || !count) hr = MAPI_E_INVALID_PARAMETER;
    else if (!attach->writable) hr = MAPI_E_NO_ACCESS;
    else hr = pending_set_props( &attach->child.logon->alloc, &attach->work.props, NULL, attach_readonly,
                                 ARRAY_SIZE(attach_readonly), count, props, problems );
    attach_leave( attach );
    return hr;
}

static HRESULT WINAPI attach_DeleteProps( IAttach *iface, SPropTagArray *tags, SPropProblemArray **problems )
{
    struct attach *attach = impl_from_IAttach( iface );
    HRESULT hr;

    TRACE( "%p, %p, %p.\n", iface, tags, problems );

    if (FAILED(hr = attach_enter( attach ))) return hr;
    if (!tags) hr = MAPI_E_INVALID_PARAMETER;
    else if (!attach->writable) hr = MAPI_E_NO_ACCESS;
    else hr = pending_delete_props( &attach->child.logon->alloc, &attach->work.props, NULL, attach_readonly,
                                    ARRAY_SIZE(attach_readonly), tags, problems );
    attach_leave( attach );
    return hr;
}

static HRESULT attach_copy( struct attach *attach, const struct copy_args *args )
{
    IMAPISupport *support;
    BOOL writable;
    HRESULT hr;

    if (args->problems) *args->problems = NULL;
    if (FAILED(hr = attach_enter( attach ))) return hr;
    support = attach->child.logon->support;
    IMAPISupport_AddRef( support );
    writable = attach->writable;
    attach_leave( attach );
    hr = copy_through_support( support, &attach->child.logon->alloc, &IID_IAttachment,
                               (IUnknown *)&attach->IAttach_iface, writable, args );
    IMAPISupport_Release( support );
    return hr;
}

static HRESULT WINAPI attach_CopyTo( IAttach *iface, ULONG exclude_count, const IID *exclude_iids,
                                     SPropTagArray *exclude_props, ULONG ui_param, IMAPIProgress *progress,
                                     const IID *iid, void *dest, ULONG flags, SPropProblemArray **problems )
{
    struct copy_args args = { exclude_count, exclude_iids, exclude_props, NULL, FALSE, ui_param, progress, iid,
                              dest, flags, problems };

    TRACE( "%p, %lu, %p, %p, %#lx, %p, %s, %p, %#lx, %p.\n", iface, exclude_count, exclude_iids, exclude_props,
           ui_param, progress, debugstr_guid(iid), dest, flags, problems );

    return attach_copy( impl_from_IAttach( iface ), &args );
}

static HRESULT WINAPI attach_CopyProps( IAttach *iface, SPropTagArray *include_props, ULONG ui_param,
                                        IMAPIProgress *progress, const IID *iid, void *dest, ULONG flags,
                                        SPropProblemArray **problems )
{
    struct copy_args args = { 0, NULL, NULL, include_props, TRUE, ui_param, progress, iid, dest, flags, problems };

    TRACE( "%p, %p, %#lx, %p, %s, %p, %#lx, %p.\n", iface, include_props, ui_param, progress,
           debugstr_guid(iid), dest, flags, problems );

    return attach_copy( impl_from_IAttach( iface ), &args );
}

static HRESULT WINAPI attach_GetNamesFromIDs( IAttach *iface, SPropTagArray **tags, GUID *guid, ULONG flags,
                                              ULONG *count, MAPINAMEID ***names )
{
    struct attach *attach = impl_from_IAttach( iface );
    HRESULT hr;

    TRACE( "%p, %p, %s, %#lx, %p, %p.\n", iface, tags, debugstr_guid(guid), flags, count, names );

    if (FAILED(hr = attach_enter( attach ))) return hr;
    hr = props_get_names_from_ids( attach->child.logon, tags, guid, flags, count, names );
    attach_leave( attach );
    return hr;
}

static HRESULT WINAPI attach_GetIDsFromNames( IAttach *iface, ULONG count, MAPINAMEID **names, ULONG flags,
                                              SPropTagArray **tags )
{
    struct attach *attach = impl_from_IAttach( iface );
    HRESULT hr;

    TRACE( "%p, %lu, %p, %#lx, %p.\n", iface, count, names, flags, tags );

    if (FAILED(hr = attach_enter( attach ))) return hr;
    hr = props_get_ids_from_names( attach->child.logon, count, names, flags, tags );
    attach_leave( attach );
    return hr;
}

static const IAttachVtbl attach_vtbl =
{
    attach_QueryInterface,
    attach_AddRef,
    attach_Release,
    attach_GetLastError,
    attach_SaveChanges,
    attach_GetProps,
    attach_GetPropList,
    attach_OpenProperty,
    attach_SetProps,
    attach_DeleteProps,
    attach_CopyTo,
    attach_CopyProps,
    attach_GetNamesFromIDs,
    attach_GetIDsFromNames,
};

HRESULT object_path_copy( struct object_path *dst, const struct object_path *src, uint32_t attach_nid,
                          BOOL embedded )
{
    ULONG count = src->count + (attach_nid ? 1 : 0);

    dst->nid = src->nid;
    dst->count = count;
    dst->embedded = embedded;
    dst->attach = NULL;
    if (!count) return S_OK;
    if (!(dst->attach = malloc( count * sizeof(*dst->attach) ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    if (src->count) memcpy( dst->attach, src->attach, src->count * sizeof(*dst->attach) );
    if (attach_nid) dst->attach[count - 1] = attach_nid;
    return S_OK;
}

void object_path_free( struct object_path *path )
{
    free( path->attach );
    path->attach = NULL;
    path->count = 0;
}

HRESULT object_path_open( struct store_logon *logon, const struct object_path *path, struct pst_object **out )
{
    struct pst_object *obj = NULL, *next;
    ULONG i;
    int err;

    *out = NULL;
    switch (PST_NID_TYPE(path->nid))
    {
    case PST_NID_TYPE_NORMAL_FOLDER:
    case PST_NID_TYPE_SEARCH_FOLDER:
        err = pst_folder_open( logon->file, path->nid, &obj );
        break;
    case PST_NID_TYPE_NORMAL_MESSAGE:
    case PST_NID_TYPE_ASSOC_MESSAGE:
        err = pst_message_open( logon->file, path->nid, &obj );
        break;
    default:
        err = pst_object_open( logon->file, path->nid, &obj );
        break;
    }
    for (i = 0; !err && i < path->count; i++)
    {
        if (!(err = pst_message_open_attachment( obj, path->attach[i], &next )))
        {
            pst_object_close( obj );
            obj = next;
            /* every attachment but the last leads to an embedded message */
            if ((i + 1 < path->count || path->embedded) && !(err = pst_attachment_open_message( obj, &next )))
            {
                pst_object_close( obj );
                obj = next;
            }
        }
    }
    if (err)
    {
        if (obj) pst_object_close( obj );
        TRACE( "node %#x, depth %lu: %s.\n", path->nid, path->count, debugstr_a(pst_last_error( logon->file )) );
        return err == PST_E_NOT_FOUND ? MAPI_E_OBJECT_DELETED : hresult_from_pst( err );
    }
    *out = obj;
    return S_OK;
}

HRESULT attach_open( struct store_logon *logon, struct pst_object *msg, const struct object_path *msg_path,
                     uint32_t attach_nid, IAttach **out )
{
    struct pst_object *obj;
    struct attach *attach;
    HRESULT hr;
    int err;

    TRACE( "logon %p, message %p, attachment %#x.\n", logon, msg, attach_nid );

    if ((err = pst_message_open_attachment( msg, attach_nid, &obj ))) return hresult_from_pst( err );
    if (!(attach = calloc( 1, sizeof(*attach) )))
    {
        pst_object_close( obj );
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    if (FAILED(hr = object_path_copy( &attach->path, msg_path, attach_nid, FALSE )))
    {
        pst_object_close( obj );
        free( attach );
        return hr;
    }
    attach->IAttach_iface.lpVtbl = &attach_vtbl;
    attach->refcount = 1;
    attach->obj = obj;
    attach->nid = attach_nid;
    attach->generation = logon->generation;
    store_child_init( &attach->child, logon, attach_invalidate );
    *out = &attach->IAttach_iface;
    return S_OK;
}

HRESULT attach_create_pending( struct store_logon *logon, const struct pending_attach *initial,
                               HRESULT (*commit)(IUnknown *owner, const struct pending_attach *attach),
                               IUnknown *owner, BOOL writable, IAttach **out )
{
    struct pending_attach *copy;
    struct attach *attach;
    HRESULT hr;

    TRACE( "logon %p, attachment %lu, writable %d.\n", logon, initial->num, writable );

    if (FAILED(hr = pending_attach_copy( initial, &copy ))) return hr;
    if (!(attach = calloc( 1, sizeof(*attach) )))
    {
        pending_attach_free( copy );
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    attach->IAttach_iface.lpVtbl = &attach_vtbl;
    attach->refcount = 1;
    attach->nid = initial->num;
    attach->pending = TRUE;
    attach->writable = writable;
    attach->work = *copy;
    list_init( &attach->work.entry );
    free( copy );
    attach->commit = commit;
    attach->owner = owner;
    IUnknown_AddRef( owner );
    store_child_init( &attach->child, logon, attach_invalidate );
    *out = &attach->IAttach_iface;
    return S_OK;
}
