/*
 * winepst: object notifications after committed changes
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
 * A write method collects the events of its transaction while it holds the
 * logon lock (notify_add), takes a reference on the support object before
 * it leaves (notify_prepare), and sends them with no lock held
 * (notify_send), because MAPI's notification engine may call the client's
 * sinks, which call back into the store, on this thread.
 *
 * Each event goes out once per key a client can have subscribed with
 * IMsgStore::Advise (see logon_advise in store.c): the object's entry ID,
 * its parent folder's, the old parent's for moves and copies, and the
 * store's UID for the whole-store subscriptions.
 */

#include "winepst_private.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(winepst);

void notify_init( struct notify_batch *batch, struct store_logon *logon )
{
    memset( batch, 0, sizeof(*batch) );
    batch->logon = logon;
}

void notify_add( struct notify_batch *batch, ULONG event, ULONG type, uint32_t nid, uint32_t parent,
                 uint32_t old_nid, uint32_t old_parent )
{
    struct notify_event *events;

    if (batch->count == batch->capacity)
    {
        ULONG capacity = batch->capacity ? batch->capacity * 2 : 8;

        /* losing a notification is better than failing a committed change */
        if (!(events = realloc( batch->events, capacity * sizeof(*events) ))) return;
        batch->events = events;
        batch->capacity = capacity;
    }
    events = &batch->events[batch->count++];
    events->event = event;
    events->type = type;
    events->nid = nid;
    events->parent = parent;
    events->old_nid = old_nid;
    events->old_parent = old_parent;
}

void notify_prepare( struct notify_batch *batch )
{
    if (batch->count && batch->logon->support)
    {
        batch->support = batch->logon->support;
        IMAPISupport_AddRef( batch->support );
    }
}

static void notify_key( IMAPISupport *support, const BYTE *key_data, ULONG key_size, NOTIFICATION *notification )
{
    BYTE buffer[FIELD_OFFSET(NOTIFKEY, ab[PST_ENTRYID_SIZE])];
    NOTIFKEY *key = (NOTIFKEY *)buffer;
    ULONG flags = 0;
    HRESULT hr;

    key->cb = key_size;
    memcpy( key->ab, key_data, key_size );
    if (FAILED(hr = IMAPISupport_Notify( support, key, 1, notification, &flags )))
        WARN( "Notify returned %#lx.\n", hr );
}

void notify_send( struct notify_batch *batch )
{
    BYTE ids[4][PST_ENTRYID_SIZE];
    const BYTE *uid = batch->logon->uid;
    NOTIFICATION notification;
    ULONG i;

    for (i = 0; batch->support && i < batch->count; i++)
    {
        const struct notify_event *event = &batch->events[i];
        OBJECT_NOTIFICATION *obj = &notification.info.obj;

        memset( &notification, 0, sizeof(notification) );
        notification.ulEventType = event->event;
        pst_entryid_format( uid, event->nid, ids[0] );
        obj->cbEntryID = PST_ENTRYID_SIZE;
        obj->lpEntryID = (ENTRYID *)ids[0];
        obj->ulObjType = event->type;
        if (event->parent)
        {
            pst_entryid_format( uid, event->parent, ids[1] );
            obj->cbParentID = PST_ENTRYID_SIZE;
            obj->lpParentID = (ENTRYID *)ids[1];
        }
        if (event->old_nid)
        {
            pst_entryid_format( uid, event->old_nid, ids[2] );
            obj->cbOldID = PST_ENTRYID_SIZE;
            obj->lpOldID = (ENTRYID *)ids[2];
        }
        if (event->old_parent)
        {
            pst_entryid_format( uid, event->old_parent, ids[3] );
            obj->cbOldParentID = PST_ENTRYID_SIZE;
            obj->lpOldParentID = (ENTRYID *)ids[3];
        }
        TRACE( "event %#lx, object %#x, parent %#x, old %#x, old parent %#x.\n", event->event, event->nid,
               event->parent, event->old_nid, event->old_parent );

        notify_key( batch->support, ids[0], PST_ENTRYID_SIZE, &notification );
        if (event->parent && event->parent != event->nid)
            notify_key( batch->support, ids[1], PST_ENTRYID_SIZE, &notification );
        if (event->old_parent && event->old_parent != event->parent)
            notify_key( batch->support, ids[3], PST_ENTRYID_SIZE, &notification );
        notify_key( batch->support, uid, 16, &notification );
    }
    if (batch->support) IMAPISupport_Release( batch->support );
    free( batch->events );
    memset( batch, 0, sizeof(*batch) );
}
