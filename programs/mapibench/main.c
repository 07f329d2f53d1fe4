/*
 * mapibench: benchmarks of Extended MAPI through Wine's mapi32
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
 * Not a test: it prints figures, one "key value" line each, which
 * tools/bench.sh puts into its table.  Each figure is measured next to its
 * baseline (plain Win32 doing the physical part of the same work) in the
 * same process, so that ratios hold on a noisy machine.  A figure that
 * cannot be measured prints "KEY_status not measurable yet: WHY" instead.
 * Times are milliseconds.
 *
 *   mapibench cycles   FILE.pst N   logon/logoff cycles; memory growth
 *   mapibench ingest   FILE.pst N   N messages through CreateMessage ... SaveChanges
 *   mapibench folder   FILE.pst     contents table: sort + QueryRows(50), Restrict
 *   mapibench readall  FILE.pst     every message's subject, sender, size
 *   mapibench teardown FILE.pst N   IMAPISession::Logoff holding N objects
 *
 * Every mode first builds the profile "mapibench" with the PST service
 * ("MSUPST MS", ConfigureMsgService with PR_PST_PATH_W = FILE.pst) and ends
 * with the process's peak working set.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#define COBJMACROS
#include "windef.h"
#include "winbase.h"
#include "psapi.h"
#include "objbase.h"
#include "mapix.h"
#include "mapiutil.h"
#include "mapitags.h"
#include "mapidefs.h"
#include "mapiguid.h"
#include "mapispi.h"
#include "mapiadmin.h"

#define PROFILE_NAME L"mapibench"

static LARGE_INTEGER frequency;

static double now_ms(void)
{
    LARGE_INTEGER now;

    QueryPerformanceCounter( &now );
    return now.QuadPart * 1000.0 / frequency.QuadPart;
}

static int cmp_double( const void *a, const void *b )
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double percentile( double *v, int n, double p )
{
    int i;

    qsort( v, n, sizeof(*v), cmp_double );
    i = (int)(p / 100.0 * (n - 1) + 0.5);
    return v[i < n ? i : n - 1];
}

static void not_measurable( const char *key, const char *what, HRESULT hr )
{
    printf( "%s_status not measurable yet: %s returned %#lx\n", key, what, hr );
}

static void print_memory( const char *prefix )
{
    PROCESS_MEMORY_COUNTERS pmc;

    pmc.cb = sizeof(pmc);
    if (!GetProcessMemoryInfo( GetCurrentProcess(), &pmc, sizeof(pmc) )) return;
    printf( "%s_peak_working_set_kb %Iu\n", prefix, pmc.PeakWorkingSetSize / 1024 );
}

static SIZE_T private_bytes(void)
{
    PROCESS_MEMORY_COUNTERS pmc;

    pmc.cb = sizeof(pmc);
    if (!GetProcessMemoryInfo( GetCurrentProcess(), &pmc, sizeof(pmc) )) return 0;
    return pmc.PagefileUsage;
}

/* FreeProws and FreePadrlist, which Wine's mapi32 import library lacks on x86_64 */
static void free_rows( SRowSet *rows )
{
    ULONG i;

    for (i = 0; i < rows->cRows; i++) MAPIFreeBuffer( rows->aRow[i].lpProps );
    MAPIFreeBuffer( rows );
}

static void free_adrlist( ADRLIST *list )
{
    ULONG i;

    for (i = 0; i < list->cEntries; i++) MAPIFreeBuffer( list->aEntries[i].rgPropVals );
    MAPIFreeBuffer( list );
}

/* ------------------------------------------------------------ profile -- */

static const WCHAR *pst_path;

/* the profile the way programs make one for a PST; a failure names the step */
static HRESULT create_profile( const char **step )
{
    SPropValue prop;
    IProfAdmin *prof_admin = NULL;
    IMsgServiceAdmin *svc_admin = NULL;
    IMAPITable *table = NULL;
    SRowSet *rows = NULL;
    SPropTagArray cols = { 1, { PR_SERVICE_UID } };
    MAPIUID uid;
    HRESULT hr;

    *step = "MAPIAdminProfiles";
    if (FAILED(hr = MAPIAdminProfiles( 0, &prof_admin ))) return hr;
    IProfAdmin_DeleteProfile( prof_admin, (WCHAR *)PROFILE_NAME, MAPI_UNICODE );
    *step = "CreateProfile";
    if (FAILED(hr = IProfAdmin_CreateProfile( prof_admin, (WCHAR *)PROFILE_NAME, NULL, 0, MAPI_UNICODE ))) goto done;
    *step = "AdminServices";
    if (FAILED(hr = IProfAdmin_AdminServices( prof_admin, (WCHAR *)PROFILE_NAME, NULL, 0, MAPI_UNICODE,
                                              &svc_admin )))
        goto done;
    *step = "CreateMsgService(MSUPST MS)";
    if (FAILED(hr = IMsgServiceAdmin_CreateMsgService( svc_admin, (WCHAR *)L"MSUPST MS", (WCHAR *)L"Bench PST", 0,
                                                       MAPI_UNICODE )))
        goto done;
    *step = "GetMsgServiceTable";
    if (FAILED(hr = IMsgServiceAdmin_GetMsgServiceTable( svc_admin, 0, &table ))) goto done;
    if (FAILED(hr = IMAPITable_SetColumns( table, &cols, 0 ))) goto done;
    if (FAILED(hr = IMAPITable_QueryRows( table, 1, 0, &rows ))) goto done;
    hr = MAPI_E_NOT_FOUND;
    if (!rows->cRows || rows->aRow[0].lpProps[0].ulPropTag != PR_SERVICE_UID) goto done;
    memcpy( &uid, rows->aRow[0].lpProps[0].Value.bin.lpb, sizeof(uid) );
    prop.ulPropTag = PR_PST_PATH_W;
    prop.Value.lpszW = (WCHAR *)pst_path;
    *step = "ConfigureMsgService(PR_PST_PATH_W)";
    hr = IMsgServiceAdmin_ConfigureMsgService( svc_admin, &uid, 0, 0, 1, &prop );

done:
    if (rows) free_rows( rows );
    if (table) IMAPITable_Release( table );
    if (svc_admin) IMsgServiceAdmin_Release( svc_admin );
    IProfAdmin_Release( prof_admin );
    return hr;
}

static HRESULT logon( IMAPISession **session )
{
    return MAPILogonEx( 0, (WCHAR *)PROFILE_NAME, NULL, MAPI_EXTENDED | MAPI_NEW_SESSION | MAPI_NO_MAIL
                        | MAPI_UNICODE, session );
}

/* the store's entry ID from the message stores table; MAPIFreeBuffer it */
static HRESULT store_entryid( IMAPISession *session, ULONG *size, ENTRYID **entry )
{
    SPropTagArray cols = { 1, { PR_ENTRYID } };
    IMAPITable *table;
    SRowSet *rows = NULL;
    HRESULT hr;

    if (FAILED(hr = IMAPISession_GetMsgStoresTable( session, 0, &table ))) return hr;
    if (SUCCEEDED(hr = IMAPITable_SetColumns( table, &cols, 0 ))
            && SUCCEEDED(hr = IMAPITable_QueryRows( table, 1, 0, &rows )))
    {
        hr = MAPI_E_NOT_FOUND;
        if (rows->cRows && rows->aRow[0].lpProps[0].ulPropTag == PR_ENTRYID)
        {
            SBinary *bin = &rows->aRow[0].lpProps[0].Value.bin;
            if (SUCCEEDED(hr = MAPIAllocateBuffer( bin->cb, (void **)entry )))
            {
                memcpy( *entry, bin->lpb, bin->cb );
                *size = bin->cb;
            }
        }
        free_rows( rows );
    }
    IMAPITable_Release( table );
    return hr;
}

struct open_store
{
    IMAPISession *session;
    IMsgStore *store;
    ULONG entry_size;
    ENTRYID *entry;
};

static HRESULT open_store( struct open_store *os, ULONG flags, const char **step )
{
    HRESULT hr;

    memset( os, 0, sizeof(*os) );
    *step = "MAPILogonEx";
    if (FAILED(hr = logon( &os->session ))) return hr;
    *step = "GetMsgStoresTable";
    if (FAILED(hr = store_entryid( os->session, &os->entry_size, &os->entry ))) return hr;
    *step = "OpenMsgStore";
    return IMAPISession_OpenMsgStore( os->session, 0, os->entry_size, os->entry, NULL,
                                      MDB_NO_DIALOG | flags, &os->store );
}

static void close_store( struct open_store *os )
{
    ULONG flags = LOGOFF_NO_WAIT;

    if (os->store)
    {
        IMsgStore_StoreLogoff( os->store, &flags );
        IMsgStore_Release( os->store );
    }
    if (os->entry) MAPIFreeBuffer( os->entry );
    if (os->session)
    {
        IMAPISession_Logoff( os->session, 0, 0, 0 );
        IMAPISession_Release( os->session );
    }
}

/* opens the folder with the most messages below the IPM subtree */
static HRESULT open_biggest_folder( IMsgStore *store, IMAPIFolder **folder, ULONG *count, const char **step )
{
    SPropTagArray tags = { 1, { PR_IPM_SUBTREE_ENTRYID } };
    static const SizedSPropTagArray(2, cols) = { 2, { PR_ENTRYID, PR_CONTENT_COUNT } };
    SPropValue *props = NULL;
    IMAPIFolder *root = NULL;
    IMAPITable *table = NULL;
    SRowSet *rows = NULL;
    SBinary *best = NULL;
    ULONG n, i, type;
    HRESULT hr;
    LONG most = -1;

    *step = "IMsgStore::GetProps(PR_IPM_SUBTREE_ENTRYID)";
    if (FAILED(hr = IMsgStore_GetProps( store, &tags, MAPI_UNICODE, &n, &props ))) return hr;
    if (props[0].ulPropTag != PR_IPM_SUBTREE_ENTRYID)
    {
        MAPIFreeBuffer( props );
        return MAPI_E_NOT_FOUND;
    }
    *step = "IMsgStore::OpenEntry(IPM subtree)";
    hr = IMsgStore_OpenEntry( store, props[0].Value.bin.cb, (ENTRYID *)props[0].Value.bin.lpb, NULL,
                              MAPI_BEST_ACCESS, &type, (IUnknown **)&root );
    MAPIFreeBuffer( props );
    if (FAILED(hr)) return hr;
    *step = "IMAPIFolder::GetHierarchyTable";
    if (FAILED(hr = IMAPIFolder_GetHierarchyTable( root, CONVENIENT_DEPTH | MAPI_UNICODE, &table ))) goto done;
    if (FAILED(hr = IMAPITable_SetColumns( table, (SPropTagArray *)&cols, 0 ))) goto done;
    *step = "IMAPITable::QueryRows(hierarchy)";
    if (FAILED(hr = IMAPITable_QueryRows( table, 1000, 0, &rows ))) goto done;
    for (i = 0; i < rows->cRows; i++)
        if (rows->aRow[i].lpProps[1].ulPropTag == PR_CONTENT_COUNT && rows->aRow[i].lpProps[1].Value.l > most)
        {
            most = rows->aRow[i].lpProps[1].Value.l;
            best = &rows->aRow[i].lpProps[0].Value.bin;
        }
    hr = MAPI_E_NOT_FOUND;
    if (!best) goto done;
    *step = "IMsgStore::OpenEntry(folder)";
    hr = IMsgStore_OpenEntry( store, best->cb, (ENTRYID *)best->lpb, NULL, MAPI_BEST_ACCESS, &type,
                              (IUnknown **)folder );
    *count = most;

done:
    if (rows) free_rows( rows );
    if (table) IMAPITable_Release( table );
    IMAPIFolder_Release( root );
    return hr;
}

/* ------------------------------------------------------------- cycles -- */

/* the phases of a cycle, timed apart so that a change shows where it went */
enum cycle_phase { PHASE_LOGON, PHASE_OPEN, PHASE_STORE_LOGOFF, PHASE_LOGOFF, PHASE_COUNT };

static const char * const phase_names[PHASE_COUNT] = { "logon", "openmsgstore", "storelogoff", "logoff" };

static int bench_cycles( int n )
{
    double *mapi = malloc( n * sizeof(double) ), *base = malloc( n * sizeof(double) );
    double *phase[PHASE_COUNT], t[PHASE_COUNT + 1];
    SIZE_T before = 0, after;
    struct open_store os;
    const char *step;
    BYTE header[564];
    ULONG entry_size, flags;
    ENTRYID *entry = NULL;
    HANDLE file;
    DWORD got;
    HRESULT hr;
    int i, j, k;

    /* the store's entry ID, once; the cycle then does what a program does */
    if (FAILED(hr = open_store( &os, 0, &step )))
    {
        not_measurable( "cycles", step, hr );
        close_store( &os );
        return 0;
    }
    MAPIAllocateBuffer( os.entry_size, (void **)&entry );
    memcpy( entry, os.entry, os.entry_size );
    entry_size = os.entry_size;
    close_store( &os );
    for (j = 0; j < PHASE_COUNT; j++) phase[j] = malloc( n * sizeof(double) );

    /* pass 0 warms up; pass 1 is measured; pass 2 measures memory growth */
    for (k = 0; k < 3; k++)
    {
        if (k == 2) before = private_bytes();
        for (i = 0; i < n; i++)
        {
            IMAPISession *session;
            IMsgStore *store;
            double t0;

            t[0] = now_ms();
            step = "MAPILogonEx";
            if (FAILED(hr = logon( &session ))) goto failed;
            t[1] = now_ms();
            step = "OpenMsgStore";
            if (FAILED(hr = IMAPISession_OpenMsgStore( session, 0, entry_size, entry, NULL, MDB_NO_DIALOG, &store )))
            {
                IMAPISession_Release( session );
                goto failed;
            }
            t[2] = now_ms();
            flags = LOGOFF_NO_WAIT;
            IMsgStore_StoreLogoff( store, &flags );
            IMsgStore_Release( store );
            t[3] = now_ms();
            IMAPISession_Logoff( session, 0, 0, 0 );
            IMAPISession_Release( session );
            t[4] = now_ms();
            if (k == 1)
            {
                mapi[i] = t[PHASE_COUNT] - t[0];
                for (j = 0; j < PHASE_COUNT; j++) phase[j][i] = t[j + 1] - t[j];
            }

            t0 = now_ms();
            file = CreateFileW( pst_path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0,
                                NULL );
            if (file != INVALID_HANDLE_VALUE)
            {
                ReadFile( file, header, sizeof(header), &got, NULL );
                CloseHandle( file );
            }
            if (k == 1) base[i] = now_ms() - t0;
        }
    }
    after = private_bytes();
    printf( "cycles %d\n", n );
    printf( "cycles_median_ms %.4f\n", percentile( mapi, n, 50 ) );
    printf( "cycles_p90_ms %.4f\n", percentile( mapi, n, 90 ) );
    printf( "cycles_base_median_ms %.4f\n", percentile( base, n, 50 ) );
    printf( "cycles_base_p90_ms %.4f\n", percentile( base, n, 90 ) );
    printf( "cycles_memory_growth_kb %ld\n", (long)((LONG_PTR)(after - before) / 1024) );
    /* medians of each phase: they need not add up to the cycle's */
    for (j = 0; j < PHASE_COUNT; j++) printf( "cycles_%s_median_ms %.4f\n", phase_names[j], percentile( phase[j], n, 50 ) );
    MAPIFreeBuffer( entry );
    for (j = 0; j < PHASE_COUNT; j++) free( phase[j] );
    return 0;

failed:
    not_measurable( "cycles", step, hr );
    MAPIFreeBuffer( entry );
    for (j = 0; j < PHASE_COUNT; j++) free( phase[j] );
    return 0;
}

/* ------------------------------------------------------------- ingest -- */

/* The message of issue 8's figure 2, the same as tests/engine/bench_engine's
 * ingest: a subject, a body of 1,024 characters (2 KB of UTF-16), three
 * recipients and one attachment of 10 KB. */
#define INGEST_BODY_CHARS 1024
#define INGEST_ATTACH (10 * 1024)
#define INGEST_RECIPS 3

static const WCHAR ingest_name[] = L"Bob Example", ingest_email[] = L"bob@example.org", ingest_smtp[] = L"SMTP";

/* content of message i: subject, body and attachment bytes */
static void message_content( int i, WCHAR *subject, WCHAR *body, BYTE *attach )
{
    int k;

    swprintf( subject, 64, L"Ingest message number %d", i );
    for (k = 0; k < INGEST_BODY_CHARS; k++) body[k] = L'a' + (i + k) % 26;
    body[k] = 0;
    for (k = 0; k < INGEST_ATTACH; k++) attach[k] = (BYTE)(i * 7 + k);
}

static void ingest_write( HANDLE file, const void *data, DWORD size, ULONGLONG *raw )
{
    DWORD written = 0;

    WriteFile( file, data, size, &written, NULL );
    *raw += written;
}

/* the physical part: the same content bytes written with one flush per message */
static double ingest_baseline( int n, ULONGLONG *raw )
{
    WCHAR subject[64], body[INGEST_BODY_CHARS + 1], tmp[MAX_PATH], dir[MAX_PATH];
    static BYTE attach[INGEST_ATTACH];
    HANDLE file;
    double t0;
    int i, k;

    GetTempPathW( MAX_PATH, dir );
    GetTempFileNameW( dir, L"mbi", 0, tmp );
    file = CreateFileW( tmp, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL );
    *raw = 0;
    t0 = now_ms();
    for (i = 0; i < n; i++)
    {
        message_content( i, subject, body, attach );
        ingest_write( file, subject, wcslen( subject ) * sizeof(WCHAR), raw );
        ingest_write( file, body, INGEST_BODY_CHARS * sizeof(WCHAR), raw );
        for (k = 0; k < INGEST_RECIPS; k++)
        {
            ingest_write( file, ingest_name, sizeof(ingest_name) - sizeof(WCHAR), raw );
            ingest_write( file, ingest_email, sizeof(ingest_email) - sizeof(WCHAR), raw );
            ingest_write( file, ingest_smtp, sizeof(ingest_smtp) - sizeof(WCHAR), raw );
        }
        ingest_write( file, attach, sizeof(attach), raw );
        FlushFileBuffers( file );
    }
    t0 = now_ms() - t0;
    CloseHandle( file );
    DeleteFileW( tmp );
    return t0;
}

static HRESULT ingest_one( IMAPIFolder *folder, int i, const char **step )
{
    WCHAR subject[64], body[INGEST_BODY_CHARS + 1];
    static BYTE attach_data[INGEST_ATTACH];
    SPropValue props[3], attach_props[3];
    IMessage *msg = NULL;
    IAttach *attach = NULL;
    ADRLIST *list = NULL;
    ULONG attach_num, k;
    HRESULT hr;

    message_content( i, subject, body, attach_data );
    *step = "IMAPIFolder::CreateMessage";
    if (FAILED(hr = IMAPIFolder_CreateMessage( folder, NULL, 0, &msg ))) return hr;
    props[0].ulPropTag = PR_SUBJECT_W;
    props[0].Value.lpszW = subject;
    props[1].ulPropTag = PR_BODY_W;
    props[1].Value.lpszW = body;
    props[2].ulPropTag = PR_MESSAGE_CLASS_W;
    props[2].Value.lpszW = (WCHAR *)L"IPM.Note";
    *step = "IMessage::SetProps";
    if (FAILED(hr = IMessage_SetProps( msg, 3, props, NULL ))) goto done;

    *step = "IMessage::ModifyRecipients";
    if (FAILED(hr = MAPIAllocateBuffer( CbNewADRLIST( INGEST_RECIPS ), (void **)&list ))) goto done;
    list->cEntries = 0;
    for (k = 0; k < INGEST_RECIPS; k++)
    {
        SPropValue *rp;

        if (FAILED(hr = MAPIAllocateBuffer( 4 * sizeof(*rp), (void **)&rp ))) goto done;
        rp[0].ulPropTag = PR_RECIPIENT_TYPE;
        rp[0].Value.l = MAPI_TO;
        rp[1].ulPropTag = PR_DISPLAY_NAME_W;
        rp[1].Value.lpszW = (WCHAR *)ingest_name;
        rp[2].ulPropTag = PR_ADDRTYPE_W;
        rp[2].Value.lpszW = (WCHAR *)ingest_smtp;
        rp[3].ulPropTag = PR_EMAIL_ADDRESS_W;
        rp[3].Value.lpszW = (WCHAR *)ingest_email;
        list->aEntries[k].cValues = 4;
        list->aEntries[k].rgPropVals = rp;
        list->cEntries++;
    }
    if (FAILED(hr = IMessage_ModifyRecipients( msg, MODRECIP_ADD, list ))) goto done;

    *step = "IMessage::CreateAttach";
    if (FAILED(hr = IMessage_CreateAttach( msg, NULL, 0, &attach_num, &attach ))) goto done;
    attach_props[0].ulPropTag = PR_ATTACH_METHOD;
    attach_props[0].Value.l = ATTACH_BY_VALUE;
    attach_props[1].ulPropTag = PR_ATTACH_LONG_FILENAME_W;
    attach_props[1].Value.lpszW = (WCHAR *)L"data.bin";
    attach_props[2].ulPropTag = PR_ATTACH_DATA_BIN;
    attach_props[2].Value.bin.cb = sizeof(attach_data);
    attach_props[2].Value.bin.lpb = attach_data;
    *step = "IAttach::SetProps";
    if (FAILED(hr = IAttach_SetProps( attach, 3, attach_props, NULL ))) goto done;
    *step = "IAttach::SaveChanges";
    if (FAILED(hr = IAttach_SaveChanges( attach, 0 ))) goto done;
    *step = "IMessage::SaveChanges";
    hr = IMessage_SaveChanges( msg, 0 );

done:
    if (list) free_adrlist( list );
    if (attach) IAttach_Release( attach );
    IMessage_Release( msg );
    return hr;
}

static int bench_ingest( int n )
{
    struct open_store os;
    IMAPIFolder *folder = NULL;
    ULONGLONG raw;
    const char *step;
    double base1, base2, base, t0 = 0;
    ULONG count;
    HRESULT hr = S_OK;
    int i;

    /* the baseline runs before and after the MAPI pass and counts as the
     * mean of both, so that load changing during the run (a shared
     * machine) weighs on both sides alike */
    base1 = ingest_baseline( n, &raw );
    if (SUCCEEDED(hr = open_store( &os, MDB_WRITE, &step ))
            && SUCCEEDED(hr = open_biggest_folder( os.store, &folder, &count, &step )))
    {
        t0 = now_ms();
        for (i = 0; i < n && SUCCEEDED(hr); i++) hr = ingest_one( folder, i, &step );
        t0 = now_ms() - t0;
        IMAPIFolder_Release( folder );
    }
    close_store( &os );
    base2 = ingest_baseline( n, &raw );
    base = (base1 + base2) / 2;
    printf( "ingest_messages %d\n", n );
    printf( "ingest_base_ms %.3f\n", base );
    printf( "ingest_base_before_ms %.3f\n", base1 );
    printf( "ingest_base_after_ms %.3f\n", base2 );
    printf( "ingest_raw_bytes %I64u\n", raw );
    if (FAILED(hr)) not_measurable( "ingest", step, hr );
    else
    {
        printf( "ingest_ms %.3f\n", t0 );
        printf( "ingest_rate_vs_baseline %.3f\n", t0 > 0 ? base / t0 : 0.0 );
    }
    return 0;
}

/* ------------------------------------------------------------- folder -- */

static int bench_folder(void)
{
    static const SizedSPropTagArray(8, cols) =
    {
        8, { PR_ENTRYID, PR_SUBJECT_W, PR_SENT_REPRESENTING_NAME_W, PR_MESSAGE_DELIVERY_TIME, PR_MESSAGE_SIZE,
             PR_MESSAGE_FLAGS, PR_MESSAGE_CLASS_W, PR_DISPLAY_TO_W }
    };
    static const struct { ULONG cSorts, cCategories, cExpanded; SSortOrder aSort[1]; } sort =
        { 1, 0, 0, { { PR_MESSAGE_DELIVERY_TIME, TABLE_SORT_DESCEND } } };
    struct open_store os;
    IMAPIFolder *folder = NULL;
    IMAPITable *table = NULL;
    SRowSet *rows = NULL;
    SRestriction res;
    SPropValue value;
    const char *step;
    ULONG count, matches = 0;
    double t0;
    HRESULT hr;

    if (FAILED(hr = open_store( &os, 0, &step ))
            || FAILED(hr = open_biggest_folder( os.store, &folder, &count, &step )))
        goto failed;

    t0 = now_ms();
    step = "GetContentsTable";
    if (FAILED(hr = IMAPIFolder_GetContentsTable( folder, MAPI_UNICODE, &table ))) goto failed;
    step = "SetColumns";
    if (FAILED(hr = IMAPITable_SetColumns( table, (SPropTagArray *)&cols, 0 ))) goto failed;
    step = "SortTable";
    if (FAILED(hr = IMAPITable_SortTable( table, (SSortOrderSet *)&sort, 0 ))) goto failed;
    step = "QueryRows(50)";
    if (FAILED(hr = IMAPITable_QueryRows( table, 50, 0, &rows ))) goto failed;
    t0 = now_ms() - t0;
    printf( "folder_rows %lu\n", count );
    printf( "folder_sort_query50_ms %.3f\n", t0 );
    free_rows( rows );
    rows = NULL;

    value.ulPropTag = PR_SUBJECT_W;
    value.Value.lpszW = (WCHAR *)L"Wine #1234";
    res.rt = RES_CONTENT;
    res.res.resContent.ulFuzzyLevel = FL_SUBSTRING;
    res.res.resContent.ulPropTag = PR_SUBJECT_W;
    res.res.resContent.lpProp = &value;
    t0 = now_ms();
    step = "Restrict";
    if (FAILED(hr = table->lpVtbl->Restrict( table, &res, 0 ))) goto failed;
    step = "GetRowCount";
    if (FAILED(hr = IMAPITable_GetRowCount( table, 0, &matches ))) goto failed;
    t0 = now_ms() - t0;
    printf( "folder_restrict_ms %.3f\n", t0 );
    printf( "folder_restrict_matches %lu\n", matches );
    goto done;

failed:
    not_measurable( "folder", step, hr );
done:
    if (table) IMAPITable_Release( table );
    if (folder) IMAPIFolder_Release( folder );
    close_store( &os );
    return 0;
}

/* ------------------------------------------------------------ readall -- */

static int bench_readall(void)
{
    static const SizedSPropTagArray(1, cols) = { 1, { PR_ENTRYID } };
    static const SizedSPropTagArray(3, tags) = { 3, { PR_SUBJECT_W, PR_SENDER_NAME_W, PR_MESSAGE_SIZE } };
    struct open_store os;
    IMAPIFolder *folder = NULL;
    IMAPITable *table = NULL;
    SRowSet *rows = NULL;
    SPropValue *props;
    IMessage *msg;
    const char *step;
    ULONG count, i, n, type, messages = 0;
    ULONGLONG bytes = 0;
    double t0;
    HRESULT hr;

    t0 = now_ms();
    if (FAILED(hr = open_store( &os, 0, &step ))
            || FAILED(hr = open_biggest_folder( os.store, &folder, &count, &step )))
        goto failed;
    step = "GetContentsTable";
    if (FAILED(hr = IMAPIFolder_GetContentsTable( folder, MAPI_UNICODE, &table ))) goto failed;
    if (FAILED(hr = IMAPITable_SetColumns( table, (SPropTagArray *)&cols, 0 ))) goto failed;
    for (;;)
    {
        step = "QueryRows";
        if (FAILED(hr = IMAPITable_QueryRows( table, 500, 0, &rows ))) goto failed;
        if (!rows->cRows) break;
        for (i = 0; i < rows->cRows; i++)
        {
            SBinary *bin = &rows->aRow[i].lpProps[0].Value.bin;

            step = "IMsgStore::OpenEntry(message)";
            if (FAILED(hr = IMsgStore_OpenEntry( os.store, bin->cb, (ENTRYID *)bin->lpb, NULL, 0, &type,
                                                 (IUnknown **)&msg )))
                goto failed;
            step = "IMessage::GetProps";
            hr = IMessage_GetProps( msg, (SPropTagArray *)&tags, MAPI_UNICODE, &n, &props );
            IMessage_Release( msg );
            if (FAILED(hr)) goto failed;
            if (props[0].ulPropTag == PR_SUBJECT_W) bytes += wcslen( props[0].Value.lpszW );
            if (props[1].ulPropTag == PR_SENDER_NAME_W) bytes += wcslen( props[1].Value.lpszW );
            if (props[2].ulPropTag == PR_MESSAGE_SIZE) bytes += props[2].Value.l;
            MAPIFreeBuffer( props );
            messages++;
        }
        free_rows( rows );
        rows = NULL;
    }
    t0 = now_ms() - t0;
    printf( "readall_messages %lu\n", messages );
    printf( "readall_ms %.3f\n", t0 );
    goto done;

failed:
    not_measurable( "readall", step, hr );
done:
    if (rows) free_rows( rows );
    if (table) IMAPITable_Release( table );
    if (folder) IMAPIFolder_Release( folder );
    close_store( &os );
    return 0;
}

/* ----------------------------------------------------------- teardown -- */

/* IMAPISession::Logoff while the client holds n objects opened through the
 * store: messages when they open, else folders (the IPM subtree, again and
 * again) */
static int bench_teardown( int n )
{
    static const SizedSPropTagArray(1, cols) = { 1, { PR_ENTRYID } };
    SPropTagArray tags = { 1, { PR_IPM_SUBTREE_ENTRYID } };
    IUnknown **held = calloc( n, sizeof(*held) );
    struct open_store os;
    IMAPIFolder *folder = NULL;
    IMAPITable *table = NULL;
    SRowSet *rows = NULL;
    SPropValue *props = NULL;
    const char *step, *kind = "messages";
    ULONG count, type, i, got = 0;
    double t0;
    HRESULT hr;
    int k;

    if (FAILED(hr = open_store( &os, 0, &step ))) goto failed;
    if (SUCCEEDED(open_biggest_folder( os.store, &folder, &count, &step ))
            && SUCCEEDED(IMAPIFolder_GetContentsTable( folder, 0, &table ))
            && SUCCEEDED(IMAPITable_SetColumns( table, (SPropTagArray *)&cols, 0 )))
    {
        while (got < (ULONG)n && SUCCEEDED(IMAPITable_QueryRows( table, 500, 0, &rows )) && rows->cRows)
        {
            for (i = 0; i < rows->cRows && got < (ULONG)n; i++)
            {
                SBinary *bin = &rows->aRow[i].lpProps[0].Value.bin;
                if (FAILED(IMsgStore_OpenEntry( os.store, bin->cb, (ENTRYID *)bin->lpb, NULL, 0, &type,
                                                 &held[got] )))
                    break;
                got++;
            }
            free_rows( rows );
            rows = NULL;
            /* fewer messages than n: start over */
            if (got < (ULONG)n && i == 0) break;
            if (got < (ULONG)n) table->lpVtbl->SeekRow( table, BOOKMARK_BEGINNING, 0, NULL );
        }
    }
    if (got < (ULONG)n && SUCCEEDED(IMsgStore_GetProps( os.store, &tags, 0, &count, &props ))
            && props[0].ulPropTag == PR_IPM_SUBTREE_ENTRYID)
    {
        if (!got) kind = "folders";
        for (k = got; k < n; k++)
        {
            step = "IMsgStore::OpenEntry(IPM subtree)";
            if (FAILED(hr = IMsgStore_OpenEntry( os.store, props[0].Value.bin.cb, (ENTRYID *)props[0].Value.bin.lpb,
                                                 NULL, 0, &type, &held[got] )))
                break;
            got++;
        }
    }
    if (props) MAPIFreeBuffer( props );
    if (table) IMAPITable_Release( table );
    if (folder) IMAPIFolder_Release( folder );
    table = NULL;
    folder = NULL;
    if (got < (ULONG)n)
    {
        if (SUCCEEDED(hr)) hr = MAPI_E_NOT_FOUND;
        goto failed;
    }

    t0 = now_ms();
    IMAPISession_Logoff( os.session, 0, 0, 0 );
    t0 = now_ms() - t0;
    printf( "teardown_%d_kind %s\n", n, kind );
    printf( "teardown_%d_logoff_ms %.3f\n", n, t0 );
    for (i = 0; i < got; i++) IUnknown_Release( held[i] );
    got = 0;
    if (os.store) IMsgStore_Release( os.store );
    os.store = NULL;
    IMAPISession_Release( os.session );
    os.session = NULL;
    close_store( &os );
    free( held );
    return 0;

failed:
    printf( "teardown_%d_status not measurable yet: %s returned %#lx (%lu of %d objects opened)\n", n, step, hr,
            got, n );
    for (i = 0; i < got; i++) IUnknown_Release( held[i] );
    close_store( &os );
    free( held );
    return 0;
}

int __cdecl wmain( int argc, WCHAR **argv )
{
    const char *step;
    HRESULT hr;
    int n;

    if (argc < 3)
    {
        fprintf( stderr, "usage: mapibench cycles|ingest|folder|readall|teardown FILE.pst [N]\n" );
        return 2;
    }
    QueryPerformanceFrequency( &frequency );
    pst_path = argv[2];
    n = argc > 3 ? _wtoi( argv[3] ) : 1000;
    if (n < 1) n = 1;

    if (FAILED(hr = MAPIInitialize( NULL )))
    {
        printf( "%ls_status not measurable yet: MAPIInitialize returned %#lx\n", argv[1], hr );
        return 0;
    }
    if (FAILED(hr = create_profile( &step )))
    {
        printf( "%ls_status not measurable yet: profile: %s returned %#lx\n", argv[1], step, hr );
        MAPIUninitialize();
        return 0;
    }

    if (!wcscmp( argv[1], L"cycles" )) bench_cycles( n );
    else if (!wcscmp( argv[1], L"ingest" )) bench_ingest( n );
    else if (!wcscmp( argv[1], L"folder" )) bench_folder();
    else if (!wcscmp( argv[1], L"readall" )) bench_readall();
    else if (!wcscmp( argv[1], L"teardown" )) bench_teardown( n );
    else fprintf( stderr, "mapibench: unknown mode %ls\n", argv[1] );

    print_memory( "mapibench" );
    MAPIUninitialize();
    return 0;
}
