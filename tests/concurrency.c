/*
 * Concurrency: one PST store used from many threads of one session, and
 * from several processes at once, through Wine's mapi32, winemapix and
 * winepst
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
 * Part 1: one session, THREADS threads sharing the store, a folder, a
 * contents table and a message, each creating messages (properties, a
 * recipient, an attachment), reading the ones the others saved (properties,
 * a body stream, the recipient and attachment tables), modifying and
 * deleting some of its own, checking a new contents table and one it holds
 * from its start (which the commits of all threads bring up to date), and
 * creating a subfolder, while an advise sink on the whole store counts the
 * object notifications and reopens every created message from inside
 * OnNotify (so no lock of the store may be held while it runs), and a sink
 * on the shared contents table counts the row notifications.  It runs
 * twice: without MAPI_MULTITHREAD_NOTIFICATIONS (winemapix delivers on the
 * committing thread) and with it (winemapix's notification thread
 * delivers).  A thread that does not finish in THREAD_TIMEOUT is a
 * deadlock.  Then a new process logs on and finds everything.
 *
 * Part 2: copies of this program in other processes on one file: one
 * writer committing writer_messages messages in order; two readers logging
 * on again and again, each of which must find a committed state (a prefix
 * of the writer's sequence, never shrinking, every listed message opening)
 * and keeps one logon open whose state must stay readable and unchanged;
 * and the main process trying to log on as a second writer.
 *
 * The PST files are new, created by configuring the service, and pass the
 * strict checker at the end.  CONC_ITERATIONS and CONC_MESSAGES change the
 * counts.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#define COBJMACROS
#include "windef.h"
#include "winbase.h"
#include "objbase.h"
#include "mapidefs.h"
#include "mapix.h"
#include "mapispi.h"
#include "mapiadmin.h"

#include "wine/test.h"
#include "mapi32_test.h"

#define PR_PST_PATH_W  PROP_TAG(PT_UNICODE, 0x6700)

#define THREADS          8
#define READERS          2
#define THREAD_TIMEOUT   120000
#define MAX_RECORDS      2048

static const GUID iid_stream = { 0x0000000c, 0, 0, { 0xc0, 0, 0, 0, 0, 0, 0, 0x46 } };

typedef void (CALLBACK *check_finding_cb)( void *ctx, const char *code, ULONGLONG offset, ULONG nid,
                                           ULONGLONG bid, const char *message );
static HRESULT (WINAPI *pWinePstCheckFile)( const WCHAR *path, check_finding_cb finding, void *progress,
                                            void *ctx, ULONG *count, char *error, DWORD error_size );

/* per thread and phase; CONC_ITERATIONS and CONC_MESSAGES override */
static unsigned int iterations = 40;
static unsigned int writer_messages = 120;

/* ------------------------------------------------------------ helpers -- */

static HRESULT get_prop( IMAPIProp *obj, ULONG tag, SPropValue **value )
{
    SizedSPropTagArray(1, tags) = { 1, { tag } };
    ULONG count;
    HRESULT hr;

    *value = NULL;
    hr = IMAPIProp_GetProps( obj, (SPropTagArray *)&tags, MAPI_UNICODE, &count, value );
    if (FAILED(hr)) return hr;
    if ((*value)->ulPropTag != tag)
    {
        hr = PROP_TYPE((*value)->ulPropTag) == PT_ERROR ? (*value)->Value.err : MAPI_E_NOT_FOUND;
        pMAPIFreeBuffer( *value );
        *value = NULL;
    }
    return hr;
}

/* order-independent digest of a set of messages: subjects and importance */
static ULONG message_digest( const WCHAR *subject, LONG importance )
{
    ULONG hash = 2166136261u;

    while (*subject) hash = (hash ^ *subject++) * 16777619u;
    return hash + importance * 7;
}

static void make_body( const WCHAR *subject, WCHAR *body, size_t size )
{
    swprintf( body, size, L"Body of \"%s\": this text is read back by other threads and processes.", subject );
}

static BOOL is_gone( HRESULT hr )
{
    return hr == MAPI_E_NOT_FOUND || hr == MAPI_E_OBJECT_DELETED;
}

static void CALLBACK print_finding( void *ctx, const char *code, ULONGLONG offset, ULONG nid, ULONGLONG bid,
                                    const char *message )
{
    trace( "finding %s at %#I64x nid %#lx bid %#I64x: %s\n", code, offset, nid, bid, message );
}

static ULONG check_findings( const WCHAR *path, BOOL print )
{
    char error[256];
    ULONG count = ~0u;
    HRESULT hr;

    if (!pWinePstCheckFile) return 0;
    hr = pWinePstCheckFile( path, print ? print_finding : NULL, NULL, NULL, &count, error, sizeof(error) );
    ok( hr == S_OK, "the check returned %#lx: %s.\n", hr, error );
    return count;
}

/* ------------------------------------------------------------ profile -- */

/* A profile with one PST service on PATH; a file that does not exist is
 * created by the service. */
static BOOL create_profile( const char *profile, const WCHAR *path )
{
    IMsgServiceAdmin *admin;
    IProfAdmin *profiles;
    SPropValue props[2];
    MAPIUID uid;
    BOOL ret = FALSE;
    HRESULT hr;

    hr = pMAPIAdminProfiles( 0, &profiles );
    ok( hr == S_OK, "MAPIAdminProfiles returned %#lx.\n", hr );
    if (FAILED(hr)) return FALSE;
    IProfAdmin_DeleteProfile( profiles, (WCHAR *)profile, 0 );
    hr = IProfAdmin_CreateProfile( profiles, (WCHAR *)profile, NULL, 0, 0 );
    ok( hr == S_OK, "CreateProfile returned %#lx.\n", hr );
    hr = IProfAdmin_AdminServices( profiles, (WCHAR *)profile, NULL, 0, 0, &admin );
    ok( hr == S_OK, "AdminServices returned %#lx.\n", hr );
    if (SUCCEEDED(hr))
    {
        hr = IMsgServiceAdmin_CreateMsgService( admin, (WCHAR *)"MSUPST MS", (WCHAR *)"PST", 0, 0 );
        ok( hr == S_OK, "CreateMsgService returned %#lx.\n", hr );
        if (find_service( admin, &uid ))
        {
            props[0].ulPropTag = PR_PST_PATH_W;
            props[0].Value.lpszW = (WCHAR *)path;
            props[1].ulPropTag = PR_DISPLAY_NAME_W;
            props[1].Value.lpszW = (WCHAR *)L"Concurrency";
            hr = IMsgServiceAdmin_ConfigureMsgService( admin, &uid, 0, 0, 2, props );
            ok( hr == S_OK, "ConfigureMsgService returned %#lx.\n", hr );
            ret = hr == S_OK;
        }
        else ok( 0, "the service is not in the profile.\n" );
        IMsgServiceAdmin_Release( admin );
    }
    IProfAdmin_Release( profiles );
    return ret;
}

static void delete_profile( const char *profile )
{
    IProfAdmin *profiles;

    if (FAILED(pMAPIAdminProfiles( 0, &profiles ))) return;
    IProfAdmin_DeleteProfile( profiles, (WCHAR *)profile, 0 );
    IProfAdmin_Release( profiles );
}

static IMAPISession *logon( const char *profile )
{
    IMAPISession *session = NULL;
    WCHAR name[64];
    HRESULT hr;

    MultiByteToWideChar( CP_ACP, 0, profile, -1, name, ARRAY_SIZE(name) );
    hr = pMAPILogonEx( 0, name, NULL, MAPI_EXTENDED | MAPI_NEW_SESSION | MAPI_EXPLICIT_PROFILE | MAPI_UNICODE,
                       &session );
    ok( hr == S_OK, "MAPILogonEx returned %#lx.\n", hr );
    return SUCCEEDED(hr) ? session : NULL;
}

static void logoff( IMAPISession *session )
{
    HRESULT hr;
    ULONG ref;

    hr = IMAPISession_Logoff( session, 0, 0, 0 );
    ok( hr == S_OK, "Logoff returned %#lx.\n", hr );
    ref = IMAPISession_Release( session );
    ok( !ref, "session Release returned %lu.\n", ref );
}

/* The profile's only store, with FLAGS (MDB_*); the result of OpenMsgStore. */
static HRESULT open_store( IMAPISession *session, ULONG flags, IMsgStore **store )
{
    static const SizedSPropTagArray(1, columns) = { 1, { PR_ENTRYID } };
    const SPropValue *prop;
    IMAPITable *table;
    SRowSet *rows = NULL;
    HRESULT hr;

    *store = NULL;
    hr = IMAPISession_GetMsgStoresTable( session, 0, &table );
    ok( hr == S_OK, "GetMsgStoresTable returned %#lx.\n", hr );
    if (FAILED(hr)) return hr;
    IMAPITable_SetColumns( table, (SPropTagArray *)&columns, 0 );
    hr = IMAPITable_QueryRows( table, 10, 0, &rows );
    IMAPITable_Release( table );
    ok( hr == S_OK && rows->cRows == 1, "QueryRows returned %#lx, %lu rows.\n", hr, rows ? rows->cRows : 0 );
    if (FAILED(hr)) return hr;
    if (rows->cRows && (prop = row_prop( &rows->aRow[0], PR_ENTRYID )))
        hr = IMAPISession_OpenMsgStore( session, 0, prop->Value.bin.cb, (ENTRYID *)prop->Value.bin.lpb, NULL,
                                        MDB_NO_DIALOG | flags, store );
    else hr = MAPI_E_NOT_FOUND;
    free_rows( rows );
    return hr;
}

static IMAPIFolder *open_entry_folder( IMsgStore *store, ULONG size, ENTRYID *entry, ULONG flags )
{
    IUnknown *unk = NULL;
    ULONG type;
    HRESULT hr;

    hr = IMsgStore_OpenEntry( store, size, entry, NULL, flags, &type, &unk );
    ok( hr == S_OK, "OpenEntry of a folder returned %#lx.\n", hr );
    if (FAILED(hr)) return NULL;
    ok( type == MAPI_FOLDER, "type %lu.\n", type );
    return (IMAPIFolder *)unk;
}

static IMAPIFolder *open_ipm_subtree( IMsgStore *store, ULONG flags )
{
    IMAPIFolder *folder;
    SPropValue *prop;
    HRESULT hr;

    hr = get_prop( (IMAPIProp *)store, PR_IPM_SUBTREE_ENTRYID, &prop );
    ok( hr == S_OK, "PR_IPM_SUBTREE_ENTRYID: %#lx.\n", hr );
    if (FAILED(hr)) return NULL;
    folder = open_entry_folder( store, prop->Value.bin.cb, (ENTRYID *)prop->Value.bin.lpb, flags );
    pMAPIFreeBuffer( prop );
    return folder;
}

/* A folder of the IPM subtree by name, looked up in its hierarchy table. */
static IMAPIFolder *find_folder( IMsgStore *store, const WCHAR *name, ULONG flags )
{
    static const SizedSPropTagArray(2, columns) = { 2, { PR_ENTRYID, PR_DISPLAY_NAME_W } };
    IMAPIFolder *parent, *folder = NULL;
    const SPropValue *eid, *dn;
    IMAPITable *table;
    SRowSet *rows;
    HRESULT hr;
    ULONG i;

    if (!(parent = open_ipm_subtree( store, 0 ))) return NULL;
    hr = IMAPIFolder_GetHierarchyTable( parent, MAPI_UNICODE, &table );
    ok( hr == S_OK, "GetHierarchyTable returned %#lx.\n", hr );
    if (SUCCEEDED(hr))
    {
        IMAPITable_SetColumns( table, (SPropTagArray *)&columns, 0 );
        while (!folder && SUCCEEDED(IMAPITable_QueryRows( table, 50, 0, &rows )) && rows->cRows)
        {
            for (i = 0; i < rows->cRows && !folder; i++)
            {
                eid = row_prop( &rows->aRow[i], PR_ENTRYID );
                dn = row_prop( &rows->aRow[i], PR_DISPLAY_NAME_W );
                if (eid && dn && !wcscmp( dn->Value.lpszW, name ))
                    folder = open_entry_folder( store, eid->Value.bin.cb, (ENTRYID *)eid->Value.bin.lpb, flags );
            }
            free_rows( rows );
        }
        IMAPITable_Release( table );
    }
    IMAPIFolder_Release( parent );
    ok( folder != NULL, "no folder %s.\n", wine_dbgstr_w(name) );
    return folder;
}

static IMAPIFolder *create_folder( IMAPIFolder *parent, const WCHAR *name )
{
    IMAPIFolder *folder = NULL;
    HRESULT hr;

    hr = IMAPIFolder_CreateFolder( parent, FOLDER_GENERIC, (char *)name, (char *)L"concurrency test", NULL,
                                   MAPI_UNICODE | OPEN_IF_EXISTS, (IMAPIFolder *)&folder );
    ok( hr == S_OK, "CreateFolder %s returned %#lx.\n", wine_dbgstr_w(name), hr );
    return SUCCEEDED(hr) ? folder : NULL;
}

static const SizedSPropTagArray(2, summary_columns) = { 2, { PR_SUBJECT_W, PR_IMPORTANCE } };

/* The subjects and importance of the rows of a contents table: count and digest. */
static HRESULT table_summary( IMAPITable *table, ULONG *count, ULONG *digest )
{
    const SPropValue *subject, *importance;
    SRowSet *rows;
    HRESULT hr;
    ULONG i;

    *count = *digest = 0;
    IMAPITable_SetColumns( table, (SPropTagArray *)&summary_columns, 0 );
    /* Wine's macro drops an argument */
    table->lpVtbl->SeekRow( table, BOOKMARK_BEGINNING, 0, NULL );
    while (SUCCEEDED(hr = IMAPITable_QueryRows( table, 100, 0, &rows )) && rows->cRows)
    {
        for (i = 0; i < rows->cRows; i++)
        {
            subject = row_prop( &rows->aRow[i], PR_SUBJECT_W );
            importance = row_prop( &rows->aRow[i], PR_IMPORTANCE );
            *digest += message_digest( subject ? subject->Value.lpszW : L"", importance ? importance->Value.l : -1 );
            ++*count;
        }
        free_rows( rows );
    }
    if (SUCCEEDED(hr)) free_rows( rows );
    return hr;
}

static HRESULT folder_summary( IMAPIFolder *folder, ULONG *count, ULONG *digest )
{
    IMAPITable *table;
    HRESULT hr;

    if (FAILED(hr = IMAPIFolder_GetContentsTable( folder, MAPI_UNICODE, &table ))) return hr;
    hr = table_summary( table, count, digest );
    IMAPITable_Release( table );
    return hr;
}

static ULONG hierarchy_count( IMAPIFolder *folder )
{
    IMAPITable *table;
    ULONG count = ~0u;
    HRESULT hr;

    hr = IMAPIFolder_GetHierarchyTable( folder, 0, &table );
    ok( hr == S_OK, "GetHierarchyTable returned %#lx.\n", hr );
    if (FAILED(hr)) return count;
    hr = IMAPITable_GetRowCount( table, 0, &count );
    ok( hr == S_OK, "GetRowCount returned %#lx.\n", hr );
    IMAPITable_Release( table );
    return count;
}

/* --------------------------------------------------------- the sink -- */

struct counting_sink
{
    IMAPIAdviseSink IMAPIAdviseSink_iface;
    LONG refcount;
    IMsgStore *store;             /* reopens created messages from OnNotify */
    const DWORD *workers;         /* thread IDs of the committing threads */
    LONG created[2], modified[2], deleted[2];   /* [0] messages, [1] folders */
    LONG other_object;
    LONG rows_added, rows_modified, rows_deleted, table_changed, table_other;
    LONG object_on_worker, object_elsewhere;
    LONG reopened, reopen_gone, reopen_failed;
    HRESULT reopen_error;
};

static inline struct counting_sink *impl_from_IMAPIAdviseSink( IMAPIAdviseSink *iface )
{
    return CONTAINING_RECORD( iface, struct counting_sink, IMAPIAdviseSink_iface );
}

static HRESULT WINAPI sink_QueryInterface( IMAPIAdviseSink *iface, REFIID riid, void **out )
{
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI sink_AddRef( IMAPIAdviseSink *iface )
{
    return InterlockedIncrement( &impl_from_IMAPIAdviseSink( iface )->refcount );
}

static ULONG WINAPI sink_Release( IMAPIAdviseSink *iface )
{
    return InterlockedDecrement( &impl_from_IMAPIAdviseSink( iface )->refcount );
}

static BOOL on_worker( const struct counting_sink *sink )
{
    DWORD id = GetCurrentThreadId();
    unsigned int i;

    for (i = 0; sink->workers && i <= THREADS; i++) if (sink->workers[i] == id) return TRUE;
    return FALSE;
}

static HRESULT WINAPI sink_OnNotify( IMAPIAdviseSink *iface, ULONG count, NOTIFICATION *notifications )
{
    struct counting_sink *sink = impl_from_IMAPIAdviseSink( iface );
    const OBJECT_NOTIFICATION *obj;
    IUnknown *unk;
    ULONG i, type;
    HRESULT hr;
    int kind;

    for (i = 0; i < count; i++)
    {
        obj = &notifications[i].info.obj;
        kind = obj->ulObjType == MAPI_FOLDER ? 1 : 0;
        switch (notifications[i].ulEventType)
        {
        case fnevObjectCreated:
            InterlockedIncrement( &sink->created[kind] );
            /* a store that held its lock while notifying would deadlock here */
            if (sink->store && !kind)
            {
                hr = IMsgStore_OpenEntry( sink->store, obj->cbEntryID, obj->lpEntryID, NULL, 0, &type, &unk );
                if (SUCCEEDED(hr))
                {
                    InterlockedIncrement( &sink->reopened );
                    IUnknown_Release( unk );
                }
                /* deleted since, or the store is gone at the end of the run */
                else if (is_gone( hr ) || hr == MAPI_E_INVALID_OBJECT) InterlockedIncrement( &sink->reopen_gone );
                else
                {
                    sink->reopen_error = hr;
                    InterlockedIncrement( &sink->reopen_failed );
                }
            }
            break;
        case fnevObjectModified: InterlockedIncrement( &sink->modified[kind] ); break;
        case fnevObjectDeleted: InterlockedIncrement( &sink->deleted[kind] ); break;
        case fnevTableModified:
            switch (notifications[i].info.tab.ulTableEvent)
            {
            case TABLE_ROW_ADDED: InterlockedIncrement( &sink->rows_added ); break;
            case TABLE_ROW_MODIFIED: InterlockedIncrement( &sink->rows_modified ); break;
            case TABLE_ROW_DELETED: InterlockedIncrement( &sink->rows_deleted ); break;
            case TABLE_CHANGED: InterlockedIncrement( &sink->table_changed ); break;
            default: InterlockedIncrement( &sink->table_other ); break;
            }
            continue;
        default:
            InterlockedIncrement( &sink->other_object );
            break;
        }
        if (on_worker( sink )) InterlockedIncrement( &sink->object_on_worker );
        else InterlockedIncrement( &sink->object_elsewhere );
    }
    return 0;
}

static const IMAPIAdviseSinkVtbl sink_vtbl =
{
    sink_QueryInterface,
    sink_AddRef,
    sink_Release,
    sink_OnNotify,
};

/* ------------------------------------------------- part 1: threads -- */

enum record_state
{
    RECORD_LIVE = 1,
    RECORD_DELETING,
    RECORD_DELETED
};

struct record
{
    unsigned int phase, thread;
    WCHAR subject[32];
    BYTE entryid[128];
    ULONG entryid_size;
    LONG state;
    BOOL modified;
};

static struct record records[MAX_RECORDS];
static LONG record_count;
static CRITICAL_SECTION records_cs;

struct phase
{
    unsigned int index;
    IMsgStore *store;
    IMAPIFolder *folder;          /* shared by all the threads */
    BYTE folder_entryid[128];
    ULONG folder_entryid_size;
    DWORD thread_ids[THREADS + 1];   /* the workers, then the main thread */
    /* also shared: a contents table that every thread's call brings up to
     * date, and a message they all read */
    IMAPITable *held;
    IMessage *message;
    struct record *message_record;
};

struct worker
{
    struct phase *phase;
    unsigned int index;
    unsigned int seed;
    LONG creates, reads, reads_gone, modifies, deletes, queries, folders;
};

static unsigned int next_random( struct worker *w )
{
    w->seed = w->seed * 1103515245 + 12345;
    return w->seed >> 8;
}

static struct record *record_add( unsigned int phase, unsigned int thread, const WCHAR *subject,
                                  const SBinary *entryid )
{
    struct record *r = NULL;

    EnterCriticalSection( &records_cs );
    if (record_count < MAX_RECORDS && entryid->cb <= sizeof(r->entryid))
    {
        r = &records[record_count];
        r->phase = phase;
        r->thread = thread;
        wcscpy( r->subject, subject );
        memcpy( r->entryid, entryid->lpb, entryid->cb );
        r->entryid_size = entryid->cb;
        /* published last: other threads read records below record_count */
        r->state = RECORD_LIVE;
        record_count++;
    }
    LeaveCriticalSection( &records_cs );
    return r;
}

static LONG record_state( const struct record *r )
{
    LONG state;

    EnterCriticalSection( &records_cs );
    state = r->state;
    LeaveCriticalSection( &records_cs );
    return state;
}

static struct record *create_message( struct worker *w, unsigned int i )
{
    WCHAR subject[32], body[160], name[32];
    BYTE buffer[CbNewADRLIST(1)];
    ADRLIST *adrlist = (ADRLIST *)buffer;
    SPropValue props[4], rprops[4], *eid;
    struct record *r = NULL;
    IMessage *message;
    IAttach *attach;
    ULONG num;
    HRESULT hr;

    swprintf( subject, ARRAY_SIZE(subject), L"p%u t%u m%u", w->phase->index, w->index, i );
    make_body( subject, body, ARRAY_SIZE(body) );
    hr = IMAPIFolder_CreateMessage( w->phase->folder, NULL, 0, &message );
    ok( hr == S_OK, "CreateMessage returned %#lx.\n", hr );
    if (FAILED(hr)) return NULL;
    props[0].ulPropTag = PR_SUBJECT_W;
    props[0].Value.lpszW = subject;
    props[1].ulPropTag = PR_BODY_W;
    props[1].Value.lpszW = body;
    props[2].ulPropTag = PR_MESSAGE_CLASS_W;
    props[2].Value.lpszW = (WCHAR *)L"IPM.Note";
    props[3].ulPropTag = PR_IMPORTANCE;
    props[3].Value.l = IMPORTANCE_NORMAL;
    hr = IMessage_SetProps( message, 4, props, NULL );
    ok( hr == S_OK, "SetProps returned %#lx.\n", hr );

    swprintf( name, ARRAY_SIZE(name), L"Reader %u", w->index );
    rprops[0].ulPropTag = PR_DISPLAY_NAME_W;
    rprops[0].Value.lpszW = name;
    rprops[1].ulPropTag = PR_ADDRTYPE_W;
    rprops[1].Value.lpszW = (WCHAR *)L"SMTP";
    rprops[2].ulPropTag = PR_EMAIL_ADDRESS_W;
    rprops[2].Value.lpszW = (WCHAR *)L"reader@example.org";
    rprops[3].ulPropTag = PR_RECIPIENT_TYPE;
    rprops[3].Value.l = MAPI_TO;
    adrlist->cEntries = 1;
    adrlist->aEntries[0].ulReserved1 = 0;
    adrlist->aEntries[0].cValues = 4;
    adrlist->aEntries[0].rgPropVals = rprops;
    hr = IMessage_ModifyRecipients( message, MODRECIP_ADD, adrlist );
    ok( hr == S_OK, "ModifyRecipients returned %#lx.\n", hr );

    hr = IMessage_CreateAttach( message, NULL, 0, &num, &attach );
    ok( hr == S_OK, "CreateAttach returned %#lx.\n", hr );
    if (SUCCEEDED(hr))
    {
        props[0].ulPropTag = PR_ATTACH_METHOD;
        props[0].Value.l = ATTACH_BY_VALUE;
        props[1].ulPropTag = PR_ATTACH_LONG_FILENAME_W;
        props[1].Value.lpszW = (WCHAR *)L"subject.txt";
        props[2].ulPropTag = PR_ATTACH_DATA_BIN;
        props[2].Value.bin.cb = wcslen( subject ) * sizeof(WCHAR);
        props[2].Value.bin.lpb = (BYTE *)subject;
        hr = IAttach_SetProps( attach, 3, props, NULL );
        ok( hr == S_OK, "IAttach::SetProps returned %#lx.\n", hr );
        hr = IAttach_SaveChanges( attach, 0 );
        ok( hr == S_OK, "IAttach::SaveChanges returned %#lx.\n", hr );
        IAttach_Release( attach );
    }

    hr = IMessage_SaveChanges( message, KEEP_OPEN_READWRITE );
    ok( hr == S_OK, "SaveChanges returned %#lx.\n", hr );
    if (hr == S_OK)
    {
        w->creates++;
        hr = get_prop( (IMAPIProp *)message, PR_ENTRYID, &eid );
        ok( hr == S_OK, "PR_ENTRYID after SaveChanges: %#lx.\n", hr );
        if (hr == S_OK)
        {
            r = record_add( w->phase->index, w->index, subject, &eid->Value.bin );
            ok( r != NULL, "too many records.\n" );
            pMAPIFreeBuffer( eid );
        }
    }
    IMessage_Release( message );
    return r;
}

/* A call on a message another thread may be deleting: OK, or gone once the
 * owner started deleting it.  FALSE when the reading should stop. */
#define read_ok(hr, r, w, what) read_ok_( __LINE__, hr, r, w, what )
static BOOL read_ok_( unsigned int line, HRESULT hr, struct record *r, struct worker *w, const char *what )
{
    if (hr == S_OK) return TRUE;
    if (is_gone( hr ) && record_state( r ) != RECORD_LIVE)
    {
        w->reads_gone++;
        return FALSE;
    }
    ok_( __FILE__, line )( 0, "%s of %s returned %#lx.\n", what, wine_dbgstr_w(r->subject), hr );
    return FALSE;
}

/* A message reads back as it was saved, unless its owner deletes it meanwhile. */
static void read_message( struct worker *w, struct record *r )
{
    WCHAR body[160], text[160];
    SPropValue *prop;
    IMessage *message;
    IAttach *attach;
    IStream *stream;
    IMAPITable *table;
    IUnknown *unk;
    ULONG type, rows, size;
    HRESULT hr;

    hr = IMsgStore_OpenEntry( w->phase->store, r->entryid_size, (ENTRYID *)r->entryid, NULL, 0, &type, &unk );
    if (!read_ok( hr, r, w, "OpenEntry" )) return;
    message = (IMessage *)unk;
    ok( type == MAPI_MESSAGE, "type %lu.\n", type );

    hr = get_prop( (IMAPIProp *)message, PR_SUBJECT_W, &prop );
    if (!read_ok( hr, r, w, "PR_SUBJECT_W" )) goto done;
    ok( !wcscmp( prop->Value.lpszW, r->subject ), "subject %s, expected %s.\n",
        wine_dbgstr_w(prop->Value.lpszW), wine_dbgstr_w(r->subject) );
    pMAPIFreeBuffer( prop );

    make_body( r->subject, body, ARRAY_SIZE(body) );
    hr = IMessage_OpenProperty( message, PR_BODY_W, &iid_stream, 0, 0, (IUnknown **)&stream );
    if (!read_ok( hr, r, w, "OpenProperty(PR_BODY_W)" )) goto done;
    memset( text, 0, sizeof(text) );
    hr = IStream_Read( stream, text, sizeof(text) - sizeof(WCHAR), &size );
    if (hr == S_OK || !read_ok( hr, r, w, "IStream::Read" ))
        ok( hr != S_OK || (size == wcslen( body ) * sizeof(WCHAR) && !wcscmp( text, body )),
            "body of %lu bytes, %s.\n", size, wine_dbgstr_w(text) );
    IStream_Release( stream );
    if (hr != S_OK) goto done;

    hr = IMessage_GetRecipientTable( message, 0, &table );
    if (!read_ok( hr, r, w, "GetRecipientTable" )) goto done;
    hr = IMAPITable_GetRowCount( table, 0, &rows );
    ok( hr == S_OK && rows == 1, "recipients %#lx, %lu.\n", hr, rows );
    IMAPITable_Release( table );

    hr = IMessage_GetAttachmentTable( message, 0, &table );
    if (!read_ok( hr, r, w, "GetAttachmentTable" )) goto done;
    {
        static const SizedSPropTagArray(1, columns) = { 1, { PR_ATTACH_NUM } };
        SRowSet *set;

        IMAPITable_SetColumns( table, (SPropTagArray *)&columns, 0 );
        hr = IMAPITable_QueryRows( table, 10, 0, &set );
        ok( hr == S_OK && set->cRows == 1, "attachments %#lx, %lu.\n", hr, hr == S_OK ? set->cRows : 0 );
        if (hr == S_OK && set->cRows == 1 && set->aRow[0].lpProps[0].ulPropTag == PR_ATTACH_NUM)
        {
            hr = IMessage_OpenAttach( message, set->aRow[0].lpProps[0].Value.l, NULL, 0, &attach );
            if (read_ok( hr, r, w, "OpenAttach" ))
            {
                hr = get_prop( (IMAPIProp *)attach, PR_ATTACH_DATA_BIN, &prop );
                if (read_ok( hr, r, w, "PR_ATTACH_DATA_BIN" ))
                {
                    ok( prop->Value.bin.cb == wcslen( r->subject ) * sizeof(WCHAR)
                        && !memcmp( prop->Value.bin.lpb, r->subject, prop->Value.bin.cb ), "attachment data.\n" );
                    pMAPIFreeBuffer( prop );
                }
                IAttach_Release( attach );
            }
        }
        if (hr == S_OK) free_rows( set );
        IMAPITable_Release( table );
    }
    w->reads++;
done:
    IMessage_Release( message );
}

static void modify_message( struct worker *w, struct record *r )
{
    SPropValue prop;
    IMessage *message;
    IUnknown *unk;
    ULONG type;
    HRESULT hr;

    hr = IMsgStore_OpenEntry( w->phase->store, r->entryid_size, (ENTRYID *)r->entryid, NULL, MAPI_MODIFY,
                              &type, &unk );
    ok( hr == S_OK, "OpenEntry(MAPI_MODIFY) of %s returned %#lx.\n", wine_dbgstr_w(r->subject), hr );
    if (FAILED(hr)) return;
    message = (IMessage *)unk;
    prop.ulPropTag = PR_IMPORTANCE;
    prop.Value.l = IMPORTANCE_HIGH;
    hr = IMessage_SetProps( message, 1, &prop, NULL );
    ok( hr == S_OK, "SetProps returned %#lx.\n", hr );
    hr = IMessage_SaveChanges( message, 0 );
    ok( hr == S_OK, "SaveChanges of a modified message returned %#lx.\n", hr );
    if (hr == S_OK)
    {
        EnterCriticalSection( &records_cs );
        r->modified = TRUE;
        LeaveCriticalSection( &records_cs );
        w->modifies++;
    }
    IMessage_Release( message );
}

static void delete_message( struct worker *w, struct record *r )
{
    SBinary bin = { r->entryid_size, r->entryid };
    ENTRYLIST list = { 1, &bin };
    IUnknown *unk;
    ULONG type;
    HRESULT hr;

    EnterCriticalSection( &records_cs );
    r->state = RECORD_DELETING;
    LeaveCriticalSection( &records_cs );
    hr = IMAPIFolder_DeleteMessages( w->phase->folder, &list, 0, NULL, 0 );
    ok( hr == S_OK, "DeleteMessages returned %#lx.\n", hr );
    EnterCriticalSection( &records_cs );
    r->state = hr == S_OK ? RECORD_DELETED : RECORD_LIVE;
    LeaveCriticalSection( &records_cs );
    if (hr != S_OK) return;
    w->deletes++;
    hr = IMsgStore_OpenEntry( w->phase->store, r->entryid_size, (ENTRYID *)r->entryid, NULL, 0, &type, &unk );
    ok( hr == MAPI_E_NOT_FOUND, "OpenEntry of a deleted message returned %#lx.\n", hr );
    if (SUCCEEDED(hr)) IUnknown_Release( unk );
}

/* A contents table shows every live message of this thread and none that
 * was deleted before the query: a new one, and MINE, the thread's own table
 * opened at its start, which the commits of every thread bring up to date. */
static void check_contents( struct worker *w, IMAPITable *table, const char *which )
{
    static const SizedSPropTagArray(2, columns) = { 2, { PR_ENTRYID, PR_SUBJECT_W } };
    BOOL expect[MAX_RECORDS], *seen;
    const SPropValue *subject;
    SRowSet *rows;
    LONG count, i;
    ULONG j;
    HRESULT hr;

    EnterCriticalSection( &records_cs );
    count = record_count;
    for (i = 0; i < count; i++)
        expect[i] = records[i].phase == w->phase->index
                    && (records[i].state == RECORD_DELETED
                        || (records[i].thread == w->index && records[i].state == RECORD_LIVE));
    LeaveCriticalSection( &records_cs );
    seen = calloc( count + 1, sizeof(*seen) );

    hr = IMAPITable_SetColumns( table, (SPropTagArray *)&columns, 0 );
    ok( hr == S_OK, "SetColumns returned %#lx.\n", hr );
    /* Wine's macro drops an argument */
    table->lpVtbl->SeekRow( table, BOOKMARK_BEGINNING, 0, NULL );
    while (SUCCEEDED(hr = IMAPITable_QueryRows( table, 100, 0, &rows )) && rows->cRows)
    {
        for (j = 0; j < rows->cRows; j++)
        {
            subject = row_prop( &rows->aRow[j], PR_SUBJECT_W );
            ok( subject != NULL, "a row without a subject.\n" );
            if (!subject) continue;
            for (i = 0; i < count; i++)
                if (expect[i] && !wcscmp( records[i].subject, subject->Value.lpszW )) seen[i] = TRUE;
        }
        free_rows( rows );
    }
    ok( hr == S_OK, "QueryRows returned %#lx.\n", hr );
    if (hr == S_OK) free_rows( rows );

    for (i = 0; i < count; i++)
    {
        if (!expect[i]) continue;
        if (records[i].state == RECORD_DELETED || records[i].thread != w->index)
            ok( !seen[i], "deleted message %s is listed in the %s table.\n", wine_dbgstr_w(records[i].subject),
                which );
        else ok( seen[i], "message %s is not listed in the %s table.\n", wine_dbgstr_w(records[i].subject), which );
    }
    free( seen );
}

static void query_tables( struct worker *w, IMAPIFolder *folder, IMAPITable *mine, LONG subfolders )
{
    IMAPITable *table;
    HRESULT hr;
    ULONG n;

    hr = IMAPIFolder_GetContentsTable( folder, MAPI_UNICODE, &table );
    ok( hr == S_OK, "GetContentsTable returned %#lx.\n", hr );
    if (SUCCEEDED(hr))
    {
        check_contents( w, table, "new" );
        IMAPITable_Release( table );
    }
    if (mine) check_contents( w, mine, "thread's" );

    n = hierarchy_count( folder );
    ok( n != ~0u && n >= subfolders, "%lu subfolders, this thread created %ld.\n", n, subfolders );
    w->queries++;
}

/* The objects all threads use at once */
static void read_shared( struct worker *w )
{
    WCHAR body[160], text[160];
    SPropValue *prop;
    IStream *stream;
    ULONG rows, size;
    HRESULT hr;

    if (w->phase->held)
    {
        hr = IMAPITable_GetRowCount( w->phase->held, 0, &rows );
        ok( hr == S_OK, "GetRowCount of the shared table returned %#lx.\n", hr );
    }
    if (!w->phase->message) return;
    hr = get_prop( (IMAPIProp *)w->phase->message, PR_SUBJECT_W, &prop );
    ok( hr == S_OK, "PR_SUBJECT_W of the shared message: %#lx.\n", hr );
    if (hr == S_OK)
    {
        ok( !wcscmp( prop->Value.lpszW, w->phase->message_record->subject ), "subject %s.\n",
            wine_dbgstr_w(prop->Value.lpszW) );
        pMAPIFreeBuffer( prop );
    }
    make_body( w->phase->message_record->subject, body, ARRAY_SIZE(body) );
    hr = IMessage_OpenProperty( w->phase->message, PR_BODY_W, &iid_stream, 0, 0, (IUnknown **)&stream );
    ok( hr == S_OK, "OpenProperty on the shared message returned %#lx.\n", hr );
    if (hr == S_OK)
    {
        memset( text, 0, sizeof(text) );
        hr = IStream_Read( stream, text, sizeof(text) - sizeof(WCHAR), &size );
        ok( hr == S_OK && !wcscmp( text, body ), "body %#lx, %s.\n", hr, wine_dbgstr_w(text) );
        IStream_Release( stream );
    }
}

static DWORD WINAPI worker_proc( void *param )
{
    struct worker *w = param;
    struct record *own[256], *r;
    IMAPIFolder *folder, *sub;
    IMAPITable *mine = NULL;
    unsigned int i, own_count = 0, k;
    LONG count, pick;
    WCHAR name[32];
    HRESULT hr;

    folder = open_entry_folder( w->phase->store, w->phase->folder_entryid_size,
                                (ENTRYID *)w->phase->folder_entryid, MAPI_MODIFY );
    if (!folder) return 1;
    hr = IMAPIFolder_GetContentsTable( folder, MAPI_UNICODE, &mine );
    ok( hr == S_OK, "GetContentsTable returned %#lx.\n", hr );
    for (i = 0; i < iterations; i++)
    {
        if ((r = create_message( w, i )) && own_count < ARRAY_SIZE(own)) own[own_count++] = r;
        EnterCriticalSection( &records_cs );
        count = record_count;
        LeaveCriticalSection( &records_cs );

        /* somebody else's message of this phase, picked at random */
        for (k = 0; k < 8 && count; k++)
        {
            pick = next_random( w ) % count;
            r = &records[pick];
            if (r->phase != w->phase->index || r->thread == w->index) continue;
            read_message( w, r );
            break;
        }

        if (i % 3 == 2)
        {
            for (k = own_count; k-- > 0;)
                if (!own[k]->modified && own[k]->state == RECORD_LIVE)
                {
                    modify_message( w, own[k] );
                    break;
                }
        }
        if (i % 4 == 3)
        {
            for (k = 0; k < own_count; k++)
                if (!own[k]->modified && own[k]->state == RECORD_LIVE)
                {
                    delete_message( w, own[k] );
                    break;
                }
        }
        if (i == 1 || (iterations < 2 && !i))
        {
            /* through its own folder object: the shared one carries the messages */
            swprintf( name, ARRAY_SIZE(name), L"sub t%u", w->index );
            if ((sub = create_folder( folder, name )))
            {
                w->folders++;
                IMAPIFolder_Release( sub );
            }
        }
        query_tables( w, folder, mine, w->folders );
        read_shared( w );
    }
    if (mine) IMAPITable_Release( mine );
    IMAPIFolder_Release( folder );
    return 0;
}

static LONG phase_expected( unsigned int phase, ULONG *digest, LONG *deleted )
{
    LONG i, live = 0;

    *digest = 0;
    *deleted = 0;
    EnterCriticalSection( &records_cs );
    for (i = 0; i < record_count; i++)
    {
        if (records[i].phase != phase) continue;
        if (records[i].state == RECORD_LIVE)
        {
            live++;
            *digest += message_digest( records[i].subject,
                                       records[i].modified ? IMPORTANCE_HIGH : IMPORTANCE_NORMAL );
        }
        else (*deleted)++;
    }
    LeaveCriticalSection( &records_cs );
    return live;
}

/* Waits for the sink's counters to reach what was done: the notification
 * thread may still be delivering. */
static void wait_notifications( struct counting_sink *sink, LONG creates, LONG modifies, LONG deletes )
{
    DWORD start = GetTickCount();

    while (GetTickCount() - start < 30000)
    {
        if (sink->created[0] >= creates && sink->modified[0] >= modifies && sink->deleted[0] >= deletes
                && sink->created[1] >= THREADS)
            break;
        Sleep( 50 );
    }
}

static const char profile1[] = "winepst concurrency";
static WCHAR path1[MAX_PATH];
static ULONG digests[2], lives[2];

static void test_threads( unsigned int index, BOOL multithread )
{
    static const SizedSPropTagArray(1, columns) = { 1, { PR_SUBJECT_W } };
    MAPIINIT_0 init = { MAPI_INIT_VERSION, multithread ? MAPI_MULTITHREAD_NOTIFICATIONS : 0 };
    struct counting_sink sink = { { &sink_vtbl }, 1 };
    struct counting_sink table_sink = { { &sink_vtbl }, 1 };
    struct worker workers[THREADS];
    HANDLE threads[THREADS];
    struct phase phase;
    IMAPISession *session;
    IMAPIFolder *ipm;
    IMAPITable *held = NULL;
    ULONG connection = 0, table_connection = 0, rows, count, digest, expected_digest, n;
    LONG creates = 0, reads = 0, gone = 0, modifies = 0, deletes = 0, queries = 0, folders = 0, deleted, live;
    SPropValue *eid;
    DWORD start, elapsed, ret, finished = 0;
    WCHAR name[32];
    HRESULT hr;
    unsigned int i;
    LONG r;

    hr = pMAPIInitialize( &init );
    ok( hr == S_OK, "MAPIInitialize returned %#lx.\n", hr );
    if (!(session = logon( profile1 ))) goto done;
    memset( &phase, 0, sizeof(phase) );
    phase.index = index;
    hr = open_store( session, MDB_WRITE, &phase.store );
    ok( hr == S_OK, "OpenMsgStore(MDB_WRITE) returned %#lx.\n", hr );
    if (FAILED(hr)) goto logoff;

    swprintf( name, ARRAY_SIZE(name), L"work %u", index );
    if (!(ipm = open_ipm_subtree( phase.store, MAPI_MODIFY ))) goto logoff;
    phase.folder = create_folder( ipm, name );
    IMAPIFolder_Release( ipm );
    if (!phase.folder) goto logoff;
    hr = get_prop( (IMAPIProp *)phase.folder, PR_ENTRYID, &eid );
    ok( hr == S_OK && eid->Value.bin.cb <= sizeof(phase.folder_entryid), "folder PR_ENTRYID: %#lx.\n", hr );
    if (FAILED(hr)) goto logoff;
    memcpy( phase.folder_entryid, eid->Value.bin.lpb, eid->Value.bin.cb );
    phase.folder_entryid_size = eid->Value.bin.cb;
    pMAPIFreeBuffer( eid );

    sink.store = phase.store;
    sink.workers = phase.thread_ids;
    table_sink.workers = phase.thread_ids;
    hr = IMsgStore_Advise( phase.store, 0, NULL, fnevObjectCreated | fnevObjectModified | fnevObjectDeleted
                           | fnevObjectMoved | fnevObjectCopied, &sink.IMAPIAdviseSink_iface, &connection );
    ok( hr == S_OK, "IMsgStore::Advise returned %#lx.\n", hr );
    hr = IMAPIFolder_GetContentsTable( phase.folder, MAPI_UNICODE, &held );
    ok( hr == S_OK, "GetContentsTable returned %#lx.\n", hr );
    if (held)
    {
        IMAPITable_SetColumns( held, (SPropTagArray *)&columns, 0 );
        hr = IMAPITable_Advise( held, fnevTableModified, &table_sink.IMAPIAdviseSink_iface, &table_connection );
        ok( hr == S_OK, "IMAPITable::Advise returned %#lx.\n", hr );
    }

    /* the shared message, made by a thread that is no worker */
    phase.thread_ids[THREADS] = GetCurrentThreadId();
    {
        struct worker maker = { &phase, THREADS };
        IUnknown *unk;
        ULONG type;

        if ((phase.message_record = create_message( &maker, 0 )))
        {
            hr = IMsgStore_OpenEntry( phase.store, phase.message_record->entryid_size,
                                      (ENTRYID *)phase.message_record->entryid, NULL, 0, &type, &unk );
            ok( hr == S_OK, "OpenEntry of the shared message returned %#lx.\n", hr );
            if (hr == S_OK) phase.message = (IMessage *)unk;
        }
    }
    phase.held = held;

    /* suspended until all IDs are known: the sink tells workers by ID */
    start = GetTickCount();
    for (i = 0; i < THREADS; i++)
    {
        memset( &workers[i], 0, sizeof(workers[i]) );
        workers[i].phase = &phase;
        workers[i].index = i;
        workers[i].seed = 12345 + i * 7919 + index;
        threads[i] = CreateThread( NULL, 0, worker_proc, &workers[i], CREATE_SUSPENDED, &phase.thread_ids[i] );
        ok( threads[i] != NULL, "CreateThread failed: %lu.\n", GetLastError() );
    }
    for (i = 0; i < THREADS; i++) ResumeThread( threads[i] );

    /* the held table catches up at its own calls, racing with the workers' commits */
    for (;;)
    {
        ret = WaitForMultipleObjects( THREADS, threads, TRUE, 100 );
        if (ret != WAIT_TIMEOUT) break;
        if (held) IMAPITable_GetRowCount( held, 0, &rows );
        if (GetTickCount() - start > THREAD_TIMEOUT) break;
    }
    elapsed = GetTickCount() - start;
    for (i = 0; i < THREADS; i++) if (!WaitForSingleObject( threads[i], 0 )) finished++;
    ok( finished == THREADS, "deadlock: %lu of %u threads finished in %lu ms.\n", finished, THREADS, elapsed );
    if (finished != THREADS)
    {
        /* The hung threads hold locks: any teardown, even the DLLs'
         * detaching at exit, could hang too.  End now, failed. */
        fflush( stdout );
        TerminateProcess( GetCurrentProcess(), 1 );
    }
    for (i = 0; i < THREADS; i++)
    {
        CloseHandle( threads[i] );
        creates += workers[i].creates;
        reads += workers[i].reads;
        gone += workers[i].reads_gone;
        modifies += workers[i].modifies;
        deletes += workers[i].deletes;
        queries += workers[i].queries;
        folders += workers[i].folders;
    }
    trace( "phase %u (%s notifications): %u threads x %u iterations in %lu ms: %ld messages created, %ld read "
           "(%ld deleted under the reader), %ld modified, %ld deleted, %ld table queries, %ld folders created.\n",
           index, multithread ? "multithreaded" : "synchronous", THREADS, iterations, elapsed, creates, reads, gone,
           modifies, deletes, queries, folders );
    ok( creates == THREADS * iterations, "%ld messages created.\n", creates );
    ok( folders == THREADS, "%ld folders created.\n", folders );

    /* every committed message is there, nothing deleted came back */
    live = phase_expected( index, &expected_digest, &deleted );
    ok( live == creates + !!phase.message_record - deletes && deleted == deletes,
        "%ld live and %ld deleted records.\n", live, deleted );
    hr = folder_summary( phase.folder, &count, &digest );
    ok( hr == S_OK, "contents table: %#lx.\n", hr );
    ok( count == live, "%lu messages in the folder, %ld committed and not deleted.\n", count, live );
    ok( digest == expected_digest, "the subjects or importance of the messages differ.\n" );
    EnterCriticalSection( &records_cs );
    for (r = 0; r < record_count; r++)
    {
        IUnknown *unk;
        ULONG type;

        if (records[r].phase != index) continue;
        hr = IMsgStore_OpenEntry( phase.store, records[r].entryid_size, (ENTRYID *)records[r].entryid, NULL, 0,
                                  &type, &unk );
        if (records[r].state == RECORD_LIVE) ok( hr == S_OK, "OpenEntry of %s returned %#lx.\n",
                                                 wine_dbgstr_w(records[r].subject), hr );
        else ok( hr == MAPI_E_NOT_FOUND, "OpenEntry of deleted %s returned %#lx.\n",
                 wine_dbgstr_w(records[r].subject), hr );
        if (SUCCEEDED(hr)) IUnknown_Release( unk );
    }
    LeaveCriticalSection( &records_cs );
    n = hierarchy_count( phase.folder );
    ok( n == THREADS, "%lu subfolders.\n", n );
    digests[index] = expected_digest;
    lives[index] = live;

    /* the held table ends where a fresh one is */
    if (held)
    {
        hr = IMAPITable_GetRowCount( held, 0, &rows );
        ok( hr == S_OK && rows == live, "the held table has %lu rows (%#lx), the folder %ld messages.\n",
            rows, hr, live );
        hr = table_summary( held, &count, &digest );
        ok( hr == S_OK && digest == expected_digest, "the held table's rows differ (%#lx).\n", hr );
    }

    /* notifications: one per created, changed and deleted object at least */
    if (multithread) wait_notifications( &sink, creates, modifies, deletes );
    trace( "phase %u notifications: created %ld messages %ld folders, modified %ld messages %ld folders, "
           "deleted %ld messages %ld folders, other %ld; on workers %ld, elsewhere %ld; reopened from OnNotify %ld "
           "(%ld gone); table rows added %ld modified %ld deleted %ld, changed %ld, other %ld.\n", index,
           sink.created[0], sink.created[1], sink.modified[0], sink.modified[1], sink.deleted[0], sink.deleted[1],
           sink.other_object, sink.object_on_worker, sink.object_elsewhere, sink.reopened, sink.reopen_gone,
           table_sink.rows_added, table_sink.rows_modified, table_sink.rows_deleted, table_sink.table_changed,
           table_sink.table_other );
    ok( sink.created[0] >= creates, "%ld fnevObjectCreated for %ld new messages.\n", sink.created[0], creates );
    ok( sink.modified[0] >= modifies, "%ld fnevObjectModified for %ld changed messages.\n", sink.modified[0],
        modifies );
    ok( sink.deleted[0] >= deletes, "%ld fnevObjectDeleted for %ld deleted messages.\n", sink.deleted[0], deletes );
    ok( sink.created[1] >= THREADS, "%ld fnevObjectCreated for %u new folders.\n", sink.created[1], THREADS );
    ok( !sink.reopen_failed, "%ld messages did not open from OnNotify, last %#lx.\n", sink.reopen_failed,
        sink.reopen_error );
    ok( sink.reopened > 0, "no created message opened from OnNotify.\n" );
    /* winemapix: on the committing thread, or on its notification thread */
    if (multithread) ok( !sink.object_on_worker, "%ld notifications on the committing threads.\n",
                         sink.object_on_worker );
    else ok( !sink.object_elsewhere, "%ld notifications on threads that commit nothing.\n", sink.object_elsewhere );
    ok( table_sink.rows_added + table_sink.table_changed > 0, "no table notification for the new rows.\n" );
    if (deletes) ok( table_sink.rows_deleted + table_sink.table_changed > 0,
                     "no table notification for the deleted rows.\n" );

    if (held)
    {
        if (table_connection) IMAPITable_Unadvise( held, table_connection );
        IMAPITable_Release( held );
    }
    if (connection)
    {
        hr = IMsgStore_Unadvise( phase.store, connection );
        ok( hr == S_OK, "Unadvise returned %#lx.\n", hr );
    }

logoff:
    if (phase.message) IMessage_Release( phase.message );
    if (phase.folder) IMAPIFolder_Release( phase.folder );
    if (phase.store) IMsgStore_Release( phase.store );
    logoff( session );
done:
    pMAPIUninitialize();
    /* nobody holds the sinks any more */
    ok( sink.refcount == 1 && table_sink.refcount == 1, "the sinks are held: %ld, %ld.\n", sink.refcount,
        table_sink.refcount );
}

/* ----------------------------------------------- part 2: processes -- */

static const char profile2[] = "winepst concurrency processes";
static WCHAR path2[MAX_PATH];

static HANDLE start_child( const char *mode, const char *profile, const char *extra )
{
    char **argv, cmdline[MAX_PATH * 2];
    PROCESS_INFORMATION info;
    STARTUPINFOA startup = { sizeof(startup) };
    BOOL ret;

    winetest_get_mainargs( &argv );
    snprintf( cmdline, sizeof(cmdline), "\"%s\" concurrency child %s \"%s\" %lu %s", argv[0], mode, profile,
              GetCurrentProcessId(), extra );
    ret = CreateProcessA( NULL, cmdline, NULL, NULL, FALSE, 0, NULL, NULL, &startup, &info );
    ok( ret, "CreateProcess failed: %lu.\n", GetLastError() );
    if (!ret) return NULL;
    CloseHandle( info.hThread );
    return info.hProcess;
}

static ULONGLONG file_size( const WCHAR *path )
{
    WIN32_FILE_ATTRIBUTE_DATA data;

    if (!GetFileAttributesExW( path, GetFileExInfoStandard, &data )) return 0;
    return ((ULONGLONG)data.nFileSizeHigh << 32) | data.nFileSizeLow;
}

static HANDLE child_event( DWORD parent, const char *what, BOOL create )
{
    char name[64];

    snprintf( name, sizeof(name), "winepst_concurrency_%lu_%s", parent, what );
    return create ? CreateEventA( NULL, TRUE, FALSE, name ) : OpenEventA( EVENT_ALL_ACCESS, FALSE, name );
}

static HANDLE child_semaphore( DWORD parent, BOOL create )
{
    char name[64];

    snprintf( name, sizeof(name), "winepst_concurrency_%lu_up", parent );
    return create ? CreateSemaphoreA( NULL, 0, READERS, name ) : OpenSemaphoreA( SEMAPHORE_ALL_ACCESS, FALSE, name );
}

static void wait_child( HANDLE process, DWORD timeout )
{
    ok( !WaitForSingleObject( process, timeout ), "a child process did not end in %lu ms.\n", timeout );
    wait_child_process( process );
    CloseHandle( process );
}

/* Child: verify what part 1 left, in a new process and session. */
static void child_verify( const char *profile, int argc, char **argv )
{
    IMAPISession *session;
    IMAPIFolder *folder;
    IMsgStore *store;
    ULONG count, digest, n;
    WCHAR name[32];
    unsigned int i;
    HRESULT hr;

    if (!(session = logon( profile ))) return;
    hr = open_store( session, 0, &store );
    ok( hr == S_OK, "OpenMsgStore returned %#lx.\n", hr );
    /* argv: program, unit, "child", mode, profile, parent, then count and digest per folder */
    for (i = 0; hr == S_OK && i < 2 && 7 + 2 * i < argc; i++)
    {
        swprintf( name, ARRAY_SIZE(name), L"work %u", i );
        if (!(folder = find_folder( store, name, 0 ))) continue;
        hr = folder_summary( folder, &count, &digest );
        ok( hr == S_OK, "contents table: %#lx.\n", hr );
        ok( count == strtoul( argv[6 + 2 * i], NULL, 10 ), "folder %u: %lu messages, expected %s.\n", i, count,
            argv[6 + 2 * i] );
        ok( digest == strtoul( argv[7 + 2 * i], NULL, 10 ), "folder %u: the messages differ.\n", i );
        n = hierarchy_count( folder );
        ok( n == THREADS, "folder %u: %lu subfolders.\n", i, n );
        IMAPIFolder_Release( folder );
    }
    if (store) IMsgStore_Release( store );
    logoff( session );
}

/* Child: the one writer, committing the messages w000, w001 ... in order. */
static void child_writer( const char *profile, DWORD parent, unsigned int count )
{
    HANDLE ready = child_event( parent, "ready", FALSE ), go = child_event( parent, "go", FALSE );
    IMAPISession *session;
    IMAPIFolder *folder;
    IMessage *message;
    IMsgStore *store;
    SPropValue props[2];
    WCHAR subject[16], body[160];
    unsigned int i;
    HRESULT hr;

    ok( ready && go, "no events.\n" );
    if (!(session = logon( profile ))) return;
    hr = open_store( session, MDB_WRITE, &store );
    ok( hr == S_OK, "OpenMsgStore(MDB_WRITE) returned %#lx.\n", hr );
    if (hr == S_OK && (folder = find_folder( store, L"multi", MAPI_MODIFY )))
    {
        /* the parent tries to log on as a second writer now */
        SetEvent( ready );
        ok( !WaitForSingleObject( go, 60000 ), "the parent did not say go.\n" );
        for (i = 0; i < count; i++)
        {
            swprintf( subject, ARRAY_SIZE(subject), L"w%03u", i );
            make_body( subject, body, ARRAY_SIZE(body) );
            hr = IMAPIFolder_CreateMessage( folder, NULL, 0, &message );
            ok( hr == S_OK, "CreateMessage returned %#lx.\n", hr );
            if (FAILED(hr)) break;
            props[0].ulPropTag = PR_SUBJECT_W;
            props[0].Value.lpszW = subject;
            props[1].ulPropTag = PR_BODY_W;
            props[1].Value.lpszW = body;
            hr = IMessage_SetProps( message, 2, props, NULL );
            ok( hr == S_OK, "SetProps returned %#lx.\n", hr );
            hr = IMessage_SaveChanges( message, 0 );
            ok( hr == S_OK, "SaveChanges %u returned %#lx.\n", i, hr );
            IMessage_Release( message );
        }
        IMAPIFolder_Release( folder );
    }
    else SetEvent( ready );
    if (store) IMsgStore_Release( store );
    logoff( session );
    CloseHandle( ready );
    CloseHandle( go );
}

/* One reader pass: a new store logon (or HELD, a logon kept open), the
 * folder's messages w000 ... in order of their numbers, every one of them
 * opening.  Returns the count. */
static LONG reader_pass( IMAPISession *session, IMsgStore *held, LONG last )
{
    static const SizedSPropTagArray(2, columns) = { 2, { PR_ENTRYID, PR_SUBJECT_W } };
    const SPropValue *eid, *subject;
    BOOL seen[1000] = { 0 };
    IMAPIFolder *folder;
    IMAPITable *table;
    IMsgStore *store;
    SPropValue *prop;
    IUnknown *unk;
    SRowSet *rows;
    ULONG i, type;
    LONG count = 0, n;
    BOOL valid;
    HRESULT hr;

    if ((store = held)) IMsgStore_AddRef( store );
    else
    {
        hr = open_store( session, 0, &store );
        ok( hr == S_OK, "a reader's OpenMsgStore returned %#lx.\n", hr );
        if (FAILED(hr)) return -1;
    }
    if (!(folder = find_folder( store, L"multi", 0 )))
    {
        IMsgStore_Release( store );
        return -1;
    }
    hr = IMAPIFolder_GetContentsTable( folder, MAPI_UNICODE, &table );
    ok( hr == S_OK, "GetContentsTable returned %#lx.\n", hr );
    if (SUCCEEDED(hr))
    {
        IMAPITable_SetColumns( table, (SPropTagArray *)&columns, 0 );
        while (SUCCEEDED(hr = IMAPITable_QueryRows( table, 100, 0, &rows )) && rows->cRows)
        {
            for (i = 0; i < rows->cRows; i++)
            {
                eid = row_prop( &rows->aRow[i], PR_ENTRYID );
                subject = row_prop( &rows->aRow[i], PR_SUBJECT_W );
                valid = eid && subject && swscanf( subject->Value.lpszW, L"w%ld", &n ) == 1 && n >= 0 && n < 1000;
                ok( valid, "a row without a valid subject.\n" );
                if (!valid) continue;
                seen[n] = TRUE;
                count++;
                hr = IMsgStore_OpenEntry( store, eid->Value.bin.cb, (ENTRYID *)eid->Value.bin.lpb, NULL, 0,
                                          &type, &unk );
                ok( hr == S_OK, "a listed message does not open: %#lx.\n", hr );
                if (FAILED(hr)) continue;
                hr = get_prop( (IMAPIProp *)unk, PR_SUBJECT_W, &prop );
                ok( hr == S_OK && !wcscmp( prop->Value.lpszW, subject->Value.lpszW ), "subject %#lx.\n", hr );
                if (hr == S_OK) pMAPIFreeBuffer( prop );
                IUnknown_Release( unk );
            }
            free_rows( rows );
        }
        ok( hr == S_OK, "QueryRows returned %#lx.\n", hr );
        if (hr == S_OK) free_rows( rows );
        IMAPITable_Release( table );
    }
    IMAPIFolder_Release( folder );
    IMsgStore_Release( store );

    /* a committed state: a prefix of the writer's sequence, never shrinking */
    for (n = 0; n < count; n++) ok( seen[n], "w%03ld is missing from a state of %ld messages.\n", n, count );
    ok( count >= last, "the count went from %ld down to %ld.\n", last, count );
    return count;
}

static void child_reader( const char *profile, DWORD parent, unsigned int expected )
{
    HANDLE done = child_event( parent, "done", FALSE ), up = child_semaphore( parent, FALSE );
    IMAPISession *session, *session2 = NULL;
    LONG count = 0, passes = 0, changes = 0, held_count = -1, held_passes = 0, n;
    DWORD start = GetTickCount();
    IMsgStore *held = NULL;
    BOOL finished = FALSE;
    HRESULT hr;

    ok( done != NULL, "no event.\n" );
    if (!(session = logon( profile ))) return;
    while (!finished && GetTickCount() - start < 100000)
    {
        finished = !WaitForSingleObject( done, 0 );
        if ((n = reader_pass( session, NULL, count )) < 0) break;
        /* the writer starts once every reader is up */
        if (!passes++) ReleaseSemaphore( up, 1, NULL );
        if (n != count) changes++;
        count = n;

        /* A logon kept open reads the state it opened (pst.h: readers see a
         * newer one when they reopen), however many commits follow; its own
         * session, as the other logon is shared within a session. */
        if (!session2 && count && !finished && (session2 = logon( profile )))
        {
            hr = open_store( session2, 0, &held );
            ok( hr == S_OK, "OpenMsgStore returned %#lx.\n", hr );
            if (hr == S_OK) held_count = reader_pass( session2, held, 0 );
        }
        else if (held)
        {
            n = reader_pass( session2, held, held_count );
            ok( n == held_count, "a logon kept open went from %ld to %ld messages.\n", held_count, n );
            held_passes++;
        }
    }
    ok( finished, "the writer did not finish.\n" );
    ok( count == expected, "%ld messages at the end, expected %u.\n", count, expected );
    trace( "reader %lu: %ld passes, %ld of them saw new messages, %ld messages at the end; a logon kept open "
           "read its %ld messages %ld more times.\n", GetCurrentProcessId(), passes, changes, count, held_count,
           held_passes );
    if (held) IMsgStore_Release( held );
    if (session2) logoff( session2 );
    logoff( session );
    CloseHandle( done );
    CloseHandle( up );
}

/* The parent as a second writer while the writer process holds the file. */
static void test_second_writer(void)
{
    static const SizedSPropTagArray(2, tags) = { 2, { PR_STORE_SUPPORT_MASK, PR_ACCESS_LEVEL } };
    IMAPISession *session;
    IMAPIFolder *folder;
    IMessage *message;
    IMsgStore *store;
    SPropValue *props;
    ULONG count;
    HRESULT hr;

    if (!(session = logon( profile2 ))) return;
    /* winepst: one writer per file, held by the file's share mode; MDB_WRITE
     * cannot be had and is refused (imsprovider-logon.md: MAPI_E_NO_ACCESS) */
    hr = open_store( session, MDB_WRITE, &store );
    ok( hr == MAPI_E_NO_ACCESS, "a second writer's OpenMsgStore(MDB_WRITE) returned %#lx.\n", hr );
    if (SUCCEEDED(hr)) IMsgStore_Release( store );

    /* MAPI_BEST_ACCESS settles for reading */
    hr = open_store( session, MAPI_BEST_ACCESS, &store );
    ok( hr == S_OK, "OpenMsgStore(MAPI_BEST_ACCESS) returned %#lx.\n", hr );
    if (SUCCEEDED(hr))
    {
        hr = IMsgStore_GetProps( store, (SPropTagArray *)&tags, 0, &count, &props );
        ok( hr == S_OK, "GetProps returned %#lx.\n", hr );
        if (hr == S_OK)
        {
            ok( props[0].ulPropTag == PR_STORE_SUPPORT_MASK && (props[0].Value.l & STORE_READONLY)
                && !(props[0].Value.l & STORE_MODIFY_OK), "PR_STORE_SUPPORT_MASK %#lx.\n", props[0].Value.l );
            ok( props[1].ulPropTag == PR_ACCESS_LEVEL && !(props[1].Value.l & MAPI_MODIFY),
                "PR_ACCESS_LEVEL %#lx.\n", props[1].Value.l );
            pMAPIFreeBuffer( props );
        }
        /* what OpenMsgStore's documentation says fails on a read-only store */
        if ((folder = find_folder( store, L"multi", 0 )))
        {
            IMAPIFolder *sub = NULL;
            SPropValue *eid;
            IUnknown *unk;
            ULONG type;

            message = NULL;
            hr = IMAPIFolder_CreateMessage( folder, NULL, 0, &message );
            ok( hr == MAPI_E_NO_ACCESS, "CreateMessage in a read-only store returned %#lx.\n", hr );
            if (SUCCEEDED(hr)) IMessage_Release( message );
            hr = IMAPIFolder_CreateFolder( folder, FOLDER_GENERIC, (char *)L"second", NULL, NULL, MAPI_UNICODE,
                                           (IMAPIFolder *)&sub );
            ok( hr == MAPI_E_NO_ACCESS, "CreateFolder in a read-only store returned %#lx.\n", hr );
            if (SUCCEEDED(hr)) IMAPIFolder_Release( sub );
            if (SUCCEEDED(get_prop( (IMAPIProp *)folder, PR_ENTRYID, &eid )))
            {
                hr = IMsgStore_OpenEntry( store, eid->Value.bin.cb, (ENTRYID *)eid->Value.bin.lpb, NULL,
                                          MAPI_MODIFY, &type, &unk );
                ok( hr == MAPI_E_NO_ACCESS, "OpenEntry(MAPI_MODIFY) in a read-only store returned %#lx.\n", hr );
                if (SUCCEEDED(hr)) IUnknown_Release( unk );
                pMAPIFreeBuffer( eid );
            }
            IMAPIFolder_Release( folder );
        }
        IMsgStore_Release( store );
    }
    logoff( session );
}

static void test_processes(void)
{
    HANDLE ready, go, done, up, writer, readers[READERS];
    IMAPISession *session;
    IMAPIFolder *ipm, *folder;
    IMsgStore *store;
    ULONG count, digest, expected_digest = 0, findings;
    char extra[32];
    WCHAR subject[16];
    DWORD start;
    unsigned int i;
    HRESULT hr;

    hr = pMAPIInitialize( NULL );
    ok( hr == S_OK, "MAPIInitialize returned %#lx.\n", hr );
    if (!create_profile( profile2, path2 )) goto done;
    findings = check_findings( path2, TRUE );
    ok( !findings, "a new file has %lu findings.\n", findings );

    /* the folder, made before the writer starts */
    if (!(session = logon( profile2 ))) goto done;
    hr = open_store( session, MDB_WRITE, &store );
    ok( hr == S_OK, "OpenMsgStore(MDB_WRITE) returned %#lx.\n", hr );
    if (hr == S_OK)
    {
        if ((ipm = open_ipm_subtree( store, MAPI_MODIFY )))
        {
            if ((folder = create_folder( ipm, L"multi" ))) IMAPIFolder_Release( folder );
            IMAPIFolder_Release( ipm );
        }
        IMsgStore_Release( store );
    }
    logoff( session );

    ready = child_event( GetCurrentProcessId(), "ready", TRUE );
    go = child_event( GetCurrentProcessId(), "go", TRUE );
    done = child_event( GetCurrentProcessId(), "done", TRUE );
    up = child_semaphore( GetCurrentProcessId(), TRUE );
    start = GetTickCount();
    snprintf( extra, sizeof(extra), "%u", writer_messages );
    if (!(writer = start_child( "writer", profile2, extra ))) goto done;
    ok( !WaitForSingleObject( ready, 60000 ), "the writer did not open the store.\n" );
    for (i = 0; i < READERS; i++) readers[i] = start_child( "reader", profile2, extra );
    test_second_writer();
    for (i = 0; i < READERS; i++) ok( !WaitForSingleObject( up, 60000 ), "reader %u is not up.\n", i );
    SetEvent( go );
    ok( !WaitForSingleObject( writer, THREAD_TIMEOUT ), "the writer did not end.\n" );
    SetEvent( done );
    wait_child( writer, 0 );
    for (i = 0; i < READERS; i++) if (readers[i]) wait_child( readers[i], THREAD_TIMEOUT );
    trace( "processes: 1 writer committing %u messages, %u readers, 1 refused second writer: %lu ms; "
           "the file has %I64u bytes.\n", writer_messages, READERS, GetTickCount() - start, file_size( path2 ) );
    CloseHandle( ready );
    CloseHandle( go );
    CloseHandle( done );
    CloseHandle( up );

    /* no lost commit; the writer's lock went with it */
    if ((session = logon( profile2 )))
    {
        hr = open_store( session, MDB_WRITE, &store );
        ok( hr == S_OK, "OpenMsgStore(MDB_WRITE) after the writer returned %#lx.\n", hr );
        if (hr == S_OK)
        {
            if ((folder = find_folder( store, L"multi", 0 )))
            {
                for (i = 0; i < writer_messages; i++)
                {
                    swprintf( subject, ARRAY_SIZE(subject), L"w%03u", i );
                    expected_digest += message_digest( subject, -1 );
                }
                hr = folder_summary( folder, &count, &digest );
                ok( hr == S_OK && count == writer_messages && digest == expected_digest,
                    "%#lx: %lu messages, %u committed.\n", hr, count, writer_messages );
                IMAPIFolder_Release( folder );
            }
            IMsgStore_Release( store );
        }
        logoff( session );
    }
    findings = check_findings( path2, FALSE );
    ok( !findings, "the checker found %lu problems.\n", findings );
    if (findings) check_findings( path2, TRUE );
done:
    delete_profile( profile2 );
    pMAPIUninitialize();
}

static void child_main( int argc, char **argv )
{
    DWORD parent = argc > 5 ? strtoul( argv[5], NULL, 10 ) : 0;
    HRESULT hr;

    hr = pMAPIInitialize( NULL );
    ok( hr == S_OK, "MAPIInitialize returned %#lx.\n", hr );
    if (!strcmp( argv[3], "verify" )) child_verify( argv[4], argc, argv );
    else if (!strcmp( argv[3], "writer" ) && argc > 6) child_writer( argv[4], parent, atoi( argv[6] ) );
    else if (!strcmp( argv[3], "reader" ) && argc > 6) child_reader( argv[4], parent, atoi( argv[6] ) );
    else ok( 0, "unknown child mode %s.\n", argv[3] );
    pMAPIUninitialize();
}

START_TEST(concurrency)
{
    WCHAR temp[MAX_PATH];
    char **argv, extra[64], *env;
    HMODULE mapi32, winepst;
    HANDLE child;
    ULONG findings;
    HRESULT hr;
    int argc;

    if (!(mapi32 = load_mapi32())) return;
    InitializeCriticalSection( &records_cs );
    if ((env = getenv( "CONC_ITERATIONS" )) && atoi( env ) > 0) iterations = min( atoi( env ), 100 );
    if ((env = getenv( "CONC_MESSAGES" )) && atoi( env ) > 0) writer_messages = min( atoi( env ), 999 );

    argc = winetest_get_mainargs( &argv );
    if (argc > 4 && !strcmp( argv[2], "child" ))
    {
        child_main( argc, argv );
        return;
    }

    GetTempPathW( ARRAY_SIZE(temp), temp );
    GetTempFileNameW( temp, L"pst", 0, path1 );
    GetTempFileNameW( temp, L"pst", 0, path2 );
    /* the service creates the files */
    DeleteFileW( path1 );
    DeleteFileW( path2 );

    hr = pMAPIInitialize( NULL );
    ok( hr == S_OK, "MAPIInitialize returned %#lx.\n", hr );
    if (!create_profile( profile1, path1 ))
    {
        pMAPIUninitialize();
        return;
    }
    /* held: MAPIUninitialize may unload it */
    winepst = LoadLibraryA( "winepst.dll" );
    if (winepst) pWinePstCheckFile = (void *)GetProcAddress( winepst, "WinePstCheckFile" );
    if (!pWinePstCheckFile) win_skip( "no WinePstCheckFile.\n" );
    findings = check_findings( path1, TRUE );
    ok( !findings, "a new file has %lu findings.\n", findings );
    pMAPIUninitialize();

    trace( "%u threads, %u iterations each, %u writer messages.\n", THREADS, iterations, writer_messages );
    test_threads( 0, FALSE );
    test_threads( 1, TRUE );

    findings = check_findings( path1, FALSE );
    ok( !findings, "the checker found %lu problems.\n", findings );
    if (findings) check_findings( path1, TRUE );

    /* all still there for a new process with its own logon */
    snprintf( extra, sizeof(extra), "%lu %lu %lu %lu", lives[0], digests[0], lives[1], digests[1] );
    if ((child = start_child( "verify", profile1, extra ))) wait_child( child, 60000 );

    test_processes();

    hr = pMAPIInitialize( NULL );
    ok( hr == S_OK, "MAPIInitialize returned %#lx.\n", hr );
    delete_profile( profile1 );
    pMAPIUninitialize();
    DeleteFileW( path1 );
    DeleteFileW( path2 );
    DeleteCriticalSection( &records_cs );
    if (winepst) FreeLibrary( winepst );
    FreeLibrary( mapi32 );
}
