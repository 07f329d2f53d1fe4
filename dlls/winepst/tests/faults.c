/*
 * winepst: MAPI allocation failures during writes
 *
 * Copyright 2026 The winemapix authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 *
 * For N = 1, 2, ... the Nth AllocateBuffer / AllocateMore the provider
 * makes during an operation fails.  Every call must then return S_OK or a
 * clear error (MAPI_E_NOT_ENOUGH_MEMORY), leak no MAPI buffer, and leave a
 * file that the strict checker passes and that holds the last committed
 * state: a message or folder is either wholly there or not at all.  A
 * sequence is done when a run makes fewer allocations than N.  The same
 * sequences then run with the provider's own malloc failing (its imports
 * from ucrtbase.dll redirected in this process, see crt_hooks), which
 * reaches the engine too: it allocates through malloc when the COM layer
 * gives it no allocator.
 */

#include <stdarg.h>
#include <stdio.h>

#include "windef.h"
#include "winbase.h"

#include "winepst_test.h"

typedef void (CALLBACK *check_finding_cb)( void *ctx, const char *code, ULONGLONG offset, ULONG nid,
                                           ULONGLONG bid, const char *message );
static HRESULT (WINAPI *pWinePstCheckFile)( const WCHAR *path, check_finding_cb finding, void *progress,
                                            void *ctx, ULONG *count, char *error, DWORD error_size );
static ULONG sample_findings;
static BOOL partial;    /* DeleteMessages gave MAPI_W_PARTIAL_COMPLETION */
static ULONG total_faults;

static const WCHAR subject_new[] = L"Fault subject";
static const WCHAR subject_old[] = L"Before the change";
static const WCHAR body_old[] = L"Old body";
static const WCHAR subject_mod[] = L"After the change";
static const WCHAR body_mod[] = L"New body, set together with the subject";
static const WCHAR folder_name[] = L"Fault folder";
static const BYTE attach_data[] = "attachment bytes";

static HRESULT fault_logon( const WCHAR *path, ULONG flags, BOOL faults, struct wstore *fs )
{
    HRESULT hr;

    memset( fs, 0, sizeof(*fs) );
    fs->provider = faults ? create_fault_provider() : create_provider();
    wcscpy( profile.path, path );
    init_support( &fs->support );
    hr = logon_with_flags( fs->provider, &fs->support, flags, 0, NULL, &fs->ms_logon, &fs->store );
    if (FAILED(hr)) IMSProvider_Release( fs->provider );
    return hr;
}

static IMAPIFolder *open_ipm_folder( IMsgStore *store, ULONG flags )
{
    SPropTagArray tags = { 1, { PR_IPM_SUBTREE_ENTRYID } };
    IMAPIFolder *folder = NULL;
    SPropValue *props;
    ULONG count, type;
    HRESULT hr;

    hr = IMsgStore_GetProps( store, &tags, 0, &count, &props );
    ok( hr == S_OK, "GetProps(PR_IPM_SUBTREE_ENTRYID) returned %#lx.\n", hr );
    if (hr != S_OK) return NULL;
    hr = IMsgStore_OpenEntry( store, props[0].Value.bin.cb, (ENTRYID *)props[0].Value.bin.lpb, NULL, flags,
                              &type, (IUnknown **)&folder );
    ok( hr == S_OK, "OpenEntry of the IPM subtree returned %#lx.\n", hr );
    test_free_buffer( props );
    return folder;
}

/* Rows of TABLE whose COLUMN is VALUE; the entry ID of the last in *entryid. */
static ULONG count_rows( IMAPITable *table, ULONG column, const WCHAR *value, SBinary *entryid, BYTE *buffer )
{
    SizedSPropTagArray(2, columns) = { 2, { column, PR_ENTRYID } };
    SRowSet *rows = NULL;
    ULONG i, found = 0;
    HRESULT hr;

    hr = IMAPITable_SetColumns( table, (SPropTagArray *)&columns, 0 );
    ok( hr == S_OK, "SetColumns returned %#lx.\n", hr );
    hr = IMAPITable_QueryRows( table, 1000, 0, &rows );
    ok( hr == S_OK, "QueryRows returned %#lx.\n", hr );
    if (FAILED(hr)) return 0;
    for (i = 0; i < rows->cRows; i++)
    {
        SPropValue *props = rows->aRow[i].lpProps;

        if (props[0].ulPropTag != column || wcscmp( props[0].Value.lpszW, value )) continue;
        found++;
        if (entryid && props[1].ulPropTag == PR_ENTRYID && props[1].Value.bin.cb <= 64)
        {
            memcpy( buffer, props[1].Value.bin.lpb, props[1].Value.bin.cb );
            entryid->cb = props[1].Value.bin.cb;
            entryid->lpb = buffer;
        }
    }
    for (i = 0; i < rows->cRows; i++) test_free_buffer( rows->aRow[i].lpProps );
    test_free_buffer( rows );
    return found;
}

static ULONG table_count( IMAPITable *table )
{
    ULONG count = ~0u;

    ok( IMAPITable_GetRowCount( table, 0, &count ) == S_OK, "GetRowCount failed.\n" );
    return count;
}

static BOOL get_text( IMAPIProp *prop, ULONG tag, WCHAR *buffer, size_t size )
{
    SPropTagArray tags = { 1, { tag } };
    SPropValue *props;
    ULONG count;
    BOOL ret = FALSE;

    if (FAILED(IMAPIProp_GetProps( prop, &tags, MAPI_UNICODE, &count, &props ))) return FALSE;
    if (props[0].ulPropTag == tag)
    {
        lstrcpynW( buffer, props[0].Value.lpszW, size );
        ret = TRUE;
    }
    test_free_buffer( props );
    return ret;
}

/* The strict checker finds no more than it found in the untouched sample. */
static void check_consistent( const WCHAR *path, ULONG n )
{
    char error[256];
    ULONG count = ~0u;
    HRESULT hr;

    if (!pWinePstCheckFile) return;
    hr = pWinePstCheckFile( path, NULL, NULL, NULL, &count, error, sizeof(error) );
    ok( hr == S_OK && count == sample_findings, "fault %lu: the check returned %#lx, %lu findings (%s).\n",
        n, hr, count, error );
}

/* A step that may fail only with what an allocation failure gives. */
static const char *failed_step;
static HRESULT failed_hr;

#define step_ok(hr, n, what) \
    do { \
        ok( (hr) == S_OK || (hr) == MAPI_W_ERRORS_RETURNED || (hr) == MAPI_E_NOT_ENOUGH_MEMORY, \
            "fault %lu: %s returned %#lx.\n", (n), (what), (hr) ); \
        if ((hr) != S_OK && !failed_step) { failed_step = (what); failed_hr = (hr); } \
    } while (0)

/* Arms the fault for one operation. */
/* The provider's own memory: winepst.dll imports malloc & co. from
 * ucrtbase.dll; the test points those import slots at wrappers that count
 * the calls, fail one, and count the blocks alive.  Nothing in the DLL
 * changes: only its import table, in this process. */
static BOOL crt_mode;
static LONG crt_calls, crt_fail, crt_failed, crt_live;
static void *(__cdecl *real_malloc)( size_t );
static void *(__cdecl *real_calloc)( size_t, size_t );
static void *(__cdecl *real_realloc)( void *, size_t );
static void (__cdecl *real_free)( void * );
static char *(__cdecl *real_strdup)( const char * );
static WCHAR *(__cdecl *real_wcsdup)( const WCHAR * );

static BOOL crt_hit(void)
{
    if (InterlockedIncrement( &crt_calls ) != crt_fail || !crt_fail) return FALSE;
    InterlockedIncrement( &crt_failed );
    return TRUE;
}

static void * __cdecl fault_malloc( size_t size )
{
    void *ret = crt_hit() ? NULL : real_malloc( size );

    if (ret) InterlockedIncrement( &crt_live );
    return ret;
}

static void * __cdecl fault_calloc( size_t count, size_t size )
{
    void *ret = crt_hit() ? NULL : real_calloc( count, size );

    if (ret) InterlockedIncrement( &crt_live );
    return ret;
}

static void * __cdecl fault_realloc( void *ptr, size_t size )
{
    void *ret;

    if (crt_hit()) return NULL;
    ret = real_realloc( ptr, size );
    if (ret && !ptr) InterlockedIncrement( &crt_live );
    return ret;
}

static void __cdecl fault_free( void *ptr )
{
    if (ptr) InterlockedDecrement( &crt_live );
    real_free( ptr );
}

static char * __cdecl fault_strdup( const char *str )
{
    char *ret = crt_hit() ? NULL : real_strdup( str );

    if (ret) InterlockedIncrement( &crt_live );
    return ret;
}

static WCHAR * __cdecl fault_wcsdup( const WCHAR *str )
{
    WCHAR *ret = crt_hit() ? NULL : real_wcsdup( str );

    if (ret) InterlockedIncrement( &crt_live );
    return ret;
}

static BOOL crt_hooks( BOOL install )
{
    HMODULE module = GetModuleHandleA( "winepst.dll" );
    static const struct { const char *name; void **real; void *fault; } hooks[] =
    {
        { "malloc", (void **)&real_malloc, fault_malloc },
        { "calloc", (void **)&real_calloc, fault_calloc },
        { "realloc", (void **)&real_realloc, fault_realloc },
        { "free", (void **)&real_free, fault_free },
        { "_strdup", (void **)&real_strdup, fault_strdup },
        { "_wcsdup", (void **)&real_wcsdup, fault_wcsdup },
    };
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(hooks); i++)
    {
        if (install)
        {
            if (!(*hooks[i].real = patch_import( module, "ucrtbase.dll", hooks[i].name, hooks[i].fault )))
                return FALSE;
        }
        else if (*hooks[i].real) patch_import( module, "ucrtbase.dll", hooks[i].name, *hooks[i].real );
    }
    return TRUE;
}

static void faults_arm( ULONG n )
{
    failed_step = NULL;
    failed_hr = S_OK;
    if (crt_mode)
    {
        crt_calls = 0;
        crt_failed = 0;
        crt_fail = n;
        return;
    }
    fault_alloc_calls = 0;
    fault_alloc_failed = 0;
    fault_alloc_fail = n;
}

static BOOL faults_disarm(void)
{
    if (crt_mode)
    {
        crt_fail = 0;
        return crt_failed != 0;
    }
    fault_alloc_fail = 0;
    return fault_alloc_failed != 0;
}

/* Calls that hand MAPI memory to the caller, between the writes: all
 * properties, and all rows of a table. */
static HRESULT read_all_props( IMAPIProp *prop )
{
    SPropValue *props = NULL;
    ULONG count;
    HRESULT hr;

    hr = IMAPIProp_GetProps( prop, NULL, MAPI_UNICODE, &count, &props );
    if (SUCCEEDED(hr)) test_free_buffer( props );
    return hr == MAPI_W_ERRORS_RETURNED ? S_OK : hr;
}

static HRESULT read_all_rows( IMAPITable *table )
{
    SRowSet *rows = NULL;
    HRESULT hr;
    ULONG i;

    if (FAILED(hr = table->lpVtbl->SeekRow( table, BOOKMARK_BEGINNING, 0, NULL ))) return hr;
    if (FAILED(hr = IMAPITable_QueryRows( table, 1000, 0, &rows ))) return hr;
    for (i = 0; i < rows->cRows; i++) test_free_buffer( rows->aRow[i].lpProps );
    test_free_buffer( rows );
    return S_OK;
}

static HRESULT set_props_problems( IMAPIProp *prop, ULONG count, SPropValue *props )
{
    SPropProblemArray *problems = NULL;
    HRESULT hr;

    hr = IMAPIProp_SetProps( prop, count, props, &problems );
    if (problems) test_free_buffer( problems );
    return hr;
}

/* Saves a message with subject_old and body_old in folder (no faults). */
static BOOL save_plain_message( IMAPIFolder *folder )
{
    SPropValue props[2];
    IMessage *message;
    HRESULT hr;

    hr = IMAPIFolder_CreateMessage( folder, NULL, 0, &message );
    ok( hr == S_OK, "CreateMessage returned %#lx.\n", hr );
    if (hr != S_OK) return FALSE;
    props[0].ulPropTag = PR_SUBJECT_W;
    props[0].Value.lpszW = (WCHAR *)subject_old;
    props[1].ulPropTag = PR_BODY_W;
    props[1].Value.lpszW = (WCHAR *)body_old;
    hr = IMessage_SetProps( message, 2, props, NULL );
    ok( hr == S_OK, "SetProps returned %#lx.\n", hr );
    hr = IMessage_SaveChanges( message, 0 );
    ok( hr == S_OK, "SaveChanges returned %#lx.\n", hr );
    IMessage_Release( message );
    return hr == S_OK;
}

/* One run of the sequence; returns whether the fault was hit. */
typedef BOOL (*fault_run)( const WCHAR *path, ULONG n, BOOL *saved );

static BOOL run_create( const WCHAR *path, ULONG n, BOOL *saved )
{
    SPropValue props[3], rprops[2][2], aprops[3];
    IMAPITable *contents = NULL;
    ADRLIST *adrlist = NULL;
    IMessage *message = NULL;
    IAttach *attach = NULL;
    IMAPIFolder *folder;
    struct wstore fs;
    ULONG num, i;
    HRESULT hr;
    BOOL hit;

    *saved = FALSE;
    if (fault_logon( path, MDB_WRITE, TRUE, &fs ) != S_OK) return FALSE;
    if (!(folder = open_ipm_folder( fs.store, MAPI_MODIFY )))
    {
        wstore_logoff( &fs );
        return FALSE;
    }
    test_allocate_buffer( CbNewADRLIST(2), (void **)&adrlist );

    /* an open contents table is brought up to date by the save */
    hr = IMAPIFolder_GetContentsTable( folder, MAPI_UNICODE, &contents );
    ok( hr == S_OK, "GetContentsTable returned %#lx.\n", hr );

    faults_arm( n );
    hr = IMAPIFolder_CreateMessage( folder, NULL, 0, &message );
    step_ok( hr, n, "CreateMessage" );
    if (SUCCEEDED(hr))
    {
        props[0].ulPropTag = PR_SUBJECT_W;
        props[0].Value.lpszW = (WCHAR *)subject_new;
        props[1].ulPropTag = PR_BODY_W;
        props[1].Value.lpszW = (WCHAR *)L"Body of the message";
        props[2].ulPropTag = PR_IMPORTANCE;
        props[2].Value.l = IMPORTANCE_HIGH;
        hr = set_props_problems( (IMAPIProp *)message, 3, props );
        step_ok( hr, n, "SetProps" );
    }
    if (SUCCEEDED(hr))
    {
        hr = read_all_props( (IMAPIProp *)message );
        step_ok( hr, n, "GetProps" );
    }
    if (SUCCEEDED(hr))
    {
        adrlist->cEntries = 2;
        for (i = 0; i < 2; i++)
        {
            rprops[i][0].ulPropTag = PR_DISPLAY_NAME_W;
            rprops[i][0].Value.lpszW = (WCHAR *)(i ? L"Bob" : L"Alice");
            rprops[i][1].ulPropTag = PR_RECIPIENT_TYPE;
            rprops[i][1].Value.l = MAPI_TO;
            adrlist->aEntries[i].ulReserved1 = 0;
            adrlist->aEntries[i].cValues = 2;
            adrlist->aEntries[i].rgPropVals = rprops[i];
        }
        hr = IMessage_ModifyRecipients( message, MODRECIP_ADD, adrlist );
        step_ok( hr, n, "ModifyRecipients" );
    }
    if (SUCCEEDED(hr))
    {
        IMAPITable *recips;

        hr = IMessage_GetRecipientTable( message, MAPI_UNICODE, &recips );
        step_ok( hr, n, "GetRecipientTable" );
        if (SUCCEEDED(hr))
        {
            hr = read_all_rows( recips );
            step_ok( hr, n, "recipient rows" );
            IMAPITable_Release( recips );
        }
    }
    if (SUCCEEDED(hr))
    {
        hr = IMessage_CreateAttach( message, NULL, 0, &num, &attach );
        step_ok( hr, n, "CreateAttach" );
    }
    if (SUCCEEDED(hr))
    {
        aprops[0].ulPropTag = PR_ATTACH_METHOD;
        aprops[0].Value.l = ATTACH_BY_VALUE;
        aprops[1].ulPropTag = PR_ATTACH_LONG_FILENAME_W;
        aprops[1].Value.lpszW = (WCHAR *)L"fault.bin";
        aprops[2].ulPropTag = PR_ATTACH_DATA_BIN;
        aprops[2].Value.bin.cb = sizeof(attach_data);
        aprops[2].Value.bin.lpb = (BYTE *)attach_data;
        hr = set_props_problems( (IMAPIProp *)attach, 3, aprops );
        step_ok( hr, n, "IAttach::SetProps" );
    }
    if (SUCCEEDED(hr))
    {
        hr = IAttach_SaveChanges( attach, 0 );
        step_ok( hr, n, "IAttach::SaveChanges" );
    }
    if (SUCCEEDED(hr))
    {
        IMAPITable *attachments;

        hr = IMessage_GetAttachmentTable( message, MAPI_UNICODE, &attachments );
        step_ok( hr, n, "GetAttachmentTable" );
        if (SUCCEEDED(hr))
        {
            hr = read_all_rows( attachments );
            step_ok( hr, n, "attachment rows" );
            IMAPITable_Release( attachments );
        }
    }
    if (SUCCEEDED(hr))
    {
        hr = IMessage_SaveChanges( message, KEEP_OPEN_READWRITE );
        step_ok( hr, n, "SaveChanges" );
        *saved = hr == S_OK;
    }
    if (SUCCEEDED(hr))
    {
        hr = read_all_props( (IMAPIProp *)message );
        step_ok( hr, n, "GetProps after SaveChanges" );
    }
    if (SUCCEEDED(hr) && contents)
    {
        hr = read_all_rows( contents );
        step_ok( hr, n, "contents rows" );
    }
    hit = faults_disarm();
    if (contents) IMAPITable_Release( contents );
    if (attach) IAttach_Release( attach );
    if (message) IMessage_Release( message );
    test_free_buffer( adrlist );
    if (folder) IMAPIFolder_Release( folder );
    wstore_logoff( &fs );
    return hit;
}

static void verify_create( const WCHAR *path, ULONG n, BOOL saved )
{
    BYTE buffer[64];
    SBinary entryid = { 0, buffer };
    IMAPITable *table, *recips, *attachments;
    IMAPIFolder *folder;
    IMessage *message;
    struct wstore fs;
    ULONG found, type;
    WCHAR text[64];
    HRESULT hr;

    if (fault_logon( path, 0, FALSE, &fs ) != S_OK) return;
    if (!(folder = open_ipm_folder( fs.store, 0 )))
    {
        wstore_logoff( &fs );
        return;
    }
    hr = IMAPIFolder_GetContentsTable( folder, MAPI_UNICODE, &table );
    ok( hr == S_OK, "GetContentsTable returned %#lx.\n", hr );
    found = count_rows( table, PR_SUBJECT_W, subject_new, &entryid, buffer );
    IMAPITable_Release( table );
    ok( found == (saved ? 1 : 0) || (!saved && found == 1), "fault %lu: %lu saved messages, save %s.\n", n, found,
        saved ? "succeeded" : "failed" );
    if (found == 1)
    {
        /* all of it or nothing */
        hr = IMAPIFolder_OpenEntry( folder, entryid.cb, (ENTRYID *)entryid.lpb, NULL, 0, &type,
                                    (IUnknown **)&message );
        ok( hr == S_OK, "fault %lu: OpenEntry returned %#lx.\n", n, hr );
        if (hr == S_OK)
        {
            ok( get_text( (IMAPIProp *)message, PR_BODY_W, text, ARRAY_SIZE(text) )
                && !wcscmp( text, L"Body of the message" ), "fault %lu: body %s.\n", n, debugstr_w(text) );
            if (IMessage_GetRecipientTable( message, MAPI_UNICODE, &recips ) == S_OK)
            {
                ULONG rows = table_count( recips );

                ok( rows == 2, "fault %lu: %lu recipients; %s returned %#lx.\n", n, rows,
                    failed_step ? failed_step : "nothing", failed_hr );
                IMAPITable_Release( recips );
            }
            if (IMessage_GetAttachmentTable( message, MAPI_UNICODE, &attachments ) == S_OK)
            {
                ULONG rows = table_count( attachments );

                ok( rows == 1, "fault %lu: %lu attachments; %s returned %#lx.\n", n, rows,
                    failed_step ? failed_step : "nothing", failed_hr );
                IMAPITable_Release( attachments );
            }
            IMessage_Release( message );
        }
    }
    IMAPIFolder_Release( folder );
    wstore_logoff( &fs );
}

/* The message saved before the faults: subject_old / body_old. */
static BOOL find_old_message( IMAPIFolder *folder, SBinary *entryid, BYTE *buffer, const WCHAR *subject )
{
    IMAPITable *table;
    ULONG found;

    if (IMAPIFolder_GetContentsTable( folder, MAPI_UNICODE, &table ) != S_OK) return FALSE;
    found = count_rows( table, PR_SUBJECT_W, subject, entryid, buffer );
    IMAPITable_Release( table );
    return found == 1;
}

static BOOL run_modify( const WCHAR *path, ULONG n, BOOL *saved )
{
    BYTE buffer[64];
    SBinary entryid = { 0, buffer };
    SPropValue props[2];
    IMessage *message = NULL;
    IMAPITable *contents = NULL;
    IMAPIFolder *folder;
    struct wstore fs;
    ULONG type;
    HRESULT hr;
    BOOL hit;

    *saved = FALSE;
    if (fault_logon( path, MDB_WRITE, TRUE, &fs ) != S_OK) return FALSE;
    if (!(folder = open_ipm_folder( fs.store, MAPI_MODIFY )))
    {
        wstore_logoff( &fs );
        return FALSE;
    }
    if (!find_old_message( folder, &entryid, buffer, subject_old ))
    {
        ok( 0, "the message to modify is missing.\n" );
        IMAPIFolder_Release( folder );
        wstore_logoff( &fs );
        return FALSE;
    }
    hr = IMAPIFolder_GetContentsTable( folder, MAPI_UNICODE, &contents );
    ok( hr == S_OK, "GetContentsTable returned %#lx.\n", hr );
    faults_arm( n );
    hr = IMAPIFolder_OpenEntry( folder, entryid.cb, (ENTRYID *)entryid.lpb, NULL, MAPI_MODIFY, &type,
                                (IUnknown **)&message );
    step_ok( hr, n, "OpenEntry" );
    if (SUCCEEDED(hr))
    {
        hr = read_all_props( (IMAPIProp *)message );
        step_ok( hr, n, "GetProps" );
    }
    if (SUCCEEDED(hr))
    {
        props[0].ulPropTag = PR_SUBJECT_W;
        props[0].Value.lpszW = (WCHAR *)subject_mod;
        props[1].ulPropTag = PR_BODY_W;
        props[1].Value.lpszW = (WCHAR *)body_mod;
        hr = set_props_problems( (IMAPIProp *)message, 2, props );
        step_ok( hr, n, "SetProps" );
    }
    if (SUCCEEDED(hr))
    {
        hr = IMessage_SaveChanges( message, KEEP_OPEN_READWRITE );
        step_ok( hr, n, "SaveChanges" );
        *saved = hr == S_OK;
    }
    if (SUCCEEDED(hr))
    {
        hr = read_all_props( (IMAPIProp *)message );
        step_ok( hr, n, "GetProps after SaveChanges" );
    }
    if (SUCCEEDED(hr) && contents)
    {
        hr = read_all_rows( contents );
        step_ok( hr, n, "contents rows" );
    }
    hit = faults_disarm();
    if (contents) IMAPITable_Release( contents );
    if (message) IMessage_Release( message );
    IMAPIFolder_Release( folder );
    wstore_logoff( &fs );
    return hit;
}

static void verify_modify( const WCHAR *path, ULONG n, BOOL saved )
{
    BYTE buffer[64];
    SBinary entryid = { 0, buffer };
    IMAPIFolder *folder;
    IMessage *message;
    struct wstore fs;
    WCHAR body[128] = L"";
    BOOL old, mod;
    ULONG type;

    if (fault_logon( path, 0, FALSE, &fs ) != S_OK) return;
    if (!(folder = open_ipm_folder( fs.store, 0 )))
    {
        wstore_logoff( &fs );
        return;
    }
    old = find_old_message( folder, &entryid, buffer, subject_old );
    mod = !old && find_old_message( folder, &entryid, buffer, subject_mod );
    ok( old != mod && (!saved || mod), "fault %lu: old %d, modified %d, save %s.\n", n, old, mod,
        saved ? "succeeded" : "failed" );
    if ((old || mod) && IMAPIFolder_OpenEntry( folder, entryid.cb, (ENTRYID *)entryid.lpb, NULL, 0, &type,
                                               (IUnknown **)&message ) == S_OK)
    {
        get_text( (IMAPIProp *)message, PR_BODY_W, body, ARRAY_SIZE(body) );
        ok( !wcscmp( body, old ? body_old : body_mod ), "fault %lu: subject and body disagree: %s.\n", n,
            debugstr_w(body) );
        IMessage_Release( message );
    }
    IMAPIFolder_Release( folder );
    wstore_logoff( &fs );
}

static BOOL run_delete( const WCHAR *path, ULONG n, BOOL *saved )
{
    BYTE buffer[64];
    SBinary entryid = { 0, buffer };
    ENTRYLIST list = { 1, &entryid };
    IMAPITable *contents = NULL;
    IMAPIFolder *folder;
    struct wstore fs;
    HRESULT hr;
    BOOL hit;

    partial = FALSE;
    *saved = FALSE;
    if (fault_logon( path, MDB_WRITE, TRUE, &fs ) != S_OK) return FALSE;
    if (!(folder = open_ipm_folder( fs.store, MAPI_MODIFY )))
    {
        wstore_logoff( &fs );
        return FALSE;
    }
    ok( find_old_message( folder, &entryid, buffer, subject_old ), "the message to delete is missing.\n" );
    hr = IMAPIFolder_GetContentsTable( folder, MAPI_UNICODE, &contents );
    ok( hr == S_OK, "GetContentsTable returned %#lx.\n", hr );
    faults_arm( n );
    hr = IMAPIFolder_DeleteMessages( folder, &list, 0, NULL, 0 );
    /* documented: not every message could be deleted */
    if (hr == MAPI_W_PARTIAL_COMPLETION) partial = TRUE;
    else step_ok( hr, n, "DeleteMessages" );
    *saved = hr == S_OK;
    if (hr == S_OK && contents)
    {
        hr = read_all_rows( contents );
        step_ok( hr, n, "contents rows" );
    }
    if (hr == S_OK)
    {
        hr = read_all_props( (IMAPIProp *)folder );
        step_ok( hr, n, "folder GetProps" );
    }
    hit = faults_disarm();
    if (contents) IMAPITable_Release( contents );
    IMAPIFolder_Release( folder );
    wstore_logoff( &fs );
    return hit;
}

static void verify_delete( const WCHAR *path, ULONG n, BOOL saved )
{
    BYTE buffer[64];
    SBinary entryid = { 0, buffer };
    IMAPIFolder *folder;
    struct wstore fs;
    BOOL present;

    if (fault_logon( path, 0, FALSE, &fs ) != S_OK) return;
    if (!(folder = open_ipm_folder( fs.store, 0 )))
    {
        wstore_logoff( &fs );
        return;
    }
    present = find_old_message( folder, &entryid, buffer, subject_old );
    ok( !saved || !present, "fault %lu: the message survived a successful delete.\n", n );
    ok( !partial || present, "fault %lu: partial completion, but the only message is gone.\n", n );
    IMAPIFolder_Release( folder );
    wstore_logoff( &fs );
}

static BOOL run_create_folder( const WCHAR *path, ULONG n, BOOL *saved )
{
    IMAPIFolder *folder, *created = NULL;
    IMAPITable *hierarchy = NULL;
    struct wstore fs;
    HRESULT hr;
    BOOL hit;

    *saved = FALSE;
    if (fault_logon( path, MDB_WRITE, TRUE, &fs ) != S_OK) return FALSE;
    if (!(folder = open_ipm_folder( fs.store, MAPI_MODIFY )))
    {
        wstore_logoff( &fs );
        return FALSE;
    }
    hr = IMAPIFolder_GetHierarchyTable( folder, MAPI_UNICODE, &hierarchy );
    ok( hr == S_OK, "GetHierarchyTable returned %#lx.\n", hr );
    faults_arm( n );
    hr = IMAPIFolder_CreateFolder( folder, FOLDER_GENERIC, (char *)folder_name, (char *)L"comment", NULL,
                                   MAPI_UNICODE, (IMAPIFolder *)&created );
    step_ok( hr, n, "CreateFolder" );
    *saved = hr == S_OK;
    if (SUCCEEDED(hr))
    {
        hr = read_all_props( (IMAPIProp *)created );
        step_ok( hr, n, "GetProps of the new folder" );
    }
    if (SUCCEEDED(hr) && hierarchy)
    {
        hr = read_all_rows( hierarchy );
        step_ok( hr, n, "hierarchy rows" );
    }
    hit = faults_disarm();
    if (hierarchy) IMAPITable_Release( hierarchy );
    if (created) IMAPIFolder_Release( created );
    IMAPIFolder_Release( folder );
    wstore_logoff( &fs );
    return hit;
}

static void verify_create_folder( const WCHAR *path, ULONG n, BOOL saved )
{
    IMAPITable *table;
    IMAPIFolder *folder;
    struct wstore fs;
    ULONG found;

    if (fault_logon( path, 0, FALSE, &fs ) != S_OK) return;
    if (!(folder = open_ipm_folder( fs.store, 0 )))
    {
        wstore_logoff( &fs );
        return;
    }
    if (IMAPIFolder_GetHierarchyTable( folder, MAPI_UNICODE, &table ) == S_OK)
    {
        found = count_rows( table, PR_DISPLAY_NAME_W, folder_name, NULL, NULL );
        ok( found == 1 || (!saved && !found), "fault %lu: %lu folders named %s, create %s.\n", n, found,
            debugstr_w(folder_name), saved ? "succeeded" : "failed" );
        IMAPITable_Release( table );
    }
    IMAPIFolder_Release( folder );
    wstore_logoff( &fs );
}

/* Makes the starting file of a sequence: the sample, plus a saved message
 * when the sequence works on one. */
static BOOL prepare( WCHAR *path, BOOL with_message )
{
    IMAPIFolder *folder;
    struct wstore fs;
    BOOL ret;

    if (!copy_sample( "pstsdk_sample1.pst", path )) return FALSE;
    if (!with_message) return TRUE;
    if (fault_logon( path, MDB_WRITE, FALSE, &fs ) != S_OK) return FALSE;
    folder = open_ipm_folder( fs.store, MAPI_MODIFY );
    ret = folder && save_plain_message( folder );
    if (folder) IMAPIFolder_Release( folder );
    wstore_logoff( &fs );
    return ret;
}

static void run_sequence( const char *name, fault_run run, void (*verify)( const WCHAR *, ULONG, BOOL ),
                          BOOL with_message )
{
    WCHAR path[MAX_PATH];
    ULONG n, limit = crt_mode ? 20000 : 2000;
    LONG live, crt_live_start;
    BOOL hit = TRUE, saved;

    for (n = 1; hit && n < limit; n++)
    {
        if (!prepare( path, with_message ))
        {
            skip( "%s: the sample is not available.\n", name );
            return;
        }
        live = live_blocks;
        crt_live_start = crt_live;
        hit = run( path, n, &saved );
        ok( live_blocks == live, "%s, fault %lu: %ld MAPI buffers leaked.\n", name, n, live_blocks - live );
        ok( crt_live == crt_live_start, "%s, fault %lu: %ld blocks of the provider's own memory leaked.\n", name, n,
            crt_live - crt_live_start );
        check_consistent( path, n );
        verify( path, n, saved );
        DeleteFileW( path );
        if (!hit) ok( saved, "%s: the run without a fault failed.\n", name );
    }
    ok( n < limit, "%s: still failing after %lu faults.\n", name, limit );
    trace( "%s: %lu %s allocation faults injected.\n", name, n - 2, crt_mode ? "malloc" : "MAPI" );
    total_faults += n - 2;
}

static void test_create_message(void)
{
    run_sequence( "create message", run_create, verify_create, FALSE );
}

static void test_modify_message(void)
{
    run_sequence( "modify message", run_modify, verify_modify, TRUE );
}

static void test_delete_messages(void)
{
    run_sequence( "delete messages", run_delete, verify_delete, TRUE );
}

static void test_create_folder(void)
{
    run_sequence( "create folder", run_create_folder, verify_create_folder, FALSE );
}

START_TEST(faults)
{
    if (!init_winepst()) return;
    pWinePstCheckFile = (void *)GetProcAddress( GetModuleHandleA( "winepst.dll" ), "WinePstCheckFile" );
    if (pWinePstCheckFile)
    {
        WCHAR path[MAX_PATH];
        char error[256];

        if (copy_sample( "pstsdk_sample1.pst", path ))
        {
            pWinePstCheckFile( path, NULL, NULL, NULL, &sample_findings, error, sizeof(error) );
            DeleteFileW( path );
        }
    }
    else win_skip( "WinePstCheckFile is not exported.\n" );
    test_create_message();
    test_modify_message();
    test_delete_messages();
    test_create_folder();
    trace( "%lu MAPI allocation faults injected in all.\n", total_faults );

    /* the same with the provider's own malloc failing */
    total_faults = 0;
    if (!crt_hooks( TRUE ))
    {
        crt_hooks( FALSE );
        win_skip( "winepst.dll does not import its allocator from ucrtbase.dll.\n" );
        return;
    }
    crt_mode = TRUE;
    test_create_message();
    test_modify_message();
    test_delete_messages();
    test_create_folder();
    crt_mode = FALSE;
    crt_hooks( FALSE );
    trace( "%lu malloc faults injected in all.\n", total_faults );
    /* the recorded calls are not what these tests are about */
    if (0) check_log( "" );
}
