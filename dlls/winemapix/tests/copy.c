/*
 * Tests for the copy helpers of the store provider support object
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

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define COBJMACROS
#include "windef.h"
#include "winbase.h"
#include "objbase.h"
#include "mapidefs.h"
#include "mapicode.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "mapiguid.h"
#include "mapix.h"
#include "mapispi.h"
#include "mapiadmin.h"

#include "wine/test.h"
#include "winemapix_test.h"

#define MAPI_MOVE      0x00000001
#define MAPI_NOREPLACE 0x00000002
#define MAPI_DECLINE_OK 0x00000004
#define MESSAGE_MOVE   0x00000001
#define FOLDER_MOVE    0x00000001
#define COPY_SUBFOLDERS 0x00000010
#define DEL_FOLDERS    0x00000004
#define DEL_MESSAGES   0x00000008

/* must match mockprov.c */
#define MOCK_PROFILE 0x10

static void (CDECL *pmockprov_configure)(ULONG);
static IMAPISupport *(CDECL *pmockprov_get_support)(void);
static const char *(CDECL *pmockprov_get_log)(void);
static void (CDECL *pmockprov_reset_log)(void);

static char provider_name[MAX_PATH], provider_path[MAX_PATH];
static char inf_path[MAX_PATH], backup_path[MAX_PATH];
static HMODULE mockprov;

static const char profile_name[] = "winemapix copy";

/* The mock provider as <temp>\mapixmock\mockprov32.dll; MAPI is told "mockprov.dll". */
static BOOL extract_provider(void)
{
    char dir[MAX_PATH], source[MAX_PATH], *p;
    DWORD written;
    HANDLE file;
    HRSRC res;
    BOOL ret;

    GetTempPathA( ARRAY_SIZE(dir), dir );
    strcat( dir, "mapixmock" );
    CreateDirectoryA( dir, NULL );
    sprintf( provider_path, "%s\\mockprov32.dll", dir );
    if ((res = FindResourceA( NULL, "mockprov.dll", "TESTDLL" )))
    {
        file = CreateFileA( provider_path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL );
        ok( file != INVALID_HANDLE_VALUE, "cannot create %s, error %lu.\n", provider_path, GetLastError() );
        if (file == INVALID_HANDLE_VALUE) return FALSE;
        ret = WriteFile( file, LockResource( LoadResource( GetModuleHandleA( NULL ), res ) ),
                         SizeofResource( GetModuleHandleA( NULL ), res ), &written, NULL );
        CloseHandle( file );
        ok( ret, "WriteFile failed, error %lu.\n", GetLastError() );
    }
    else
    {
        GetModuleFileNameA( NULL, source, ARRAY_SIZE(source) );
        if ((p = strrchr( source, '\\' ))) p[1] = 0;
        strcat( source, "mockprov.dll" );
        ret = CopyFileA( source, provider_path, FALSE );
        ok( ret, "cannot copy %s, error %lu.\n", source, GetLastError() );
        if (!ret) return FALSE;
    }
    if (strchr( dir, '.' ))
    {
        SetDllDirectoryA( dir );
        strcpy( provider_name, "mockprov.dll" );
    }
    else sprintf( provider_name, "%s\\mockprov.dll", dir );

    mockprov = LoadLibraryA( provider_path );
    ok( mockprov != NULL, "cannot load %s, error %lu.\n", provider_path, GetLastError() );
    if (!mockprov) return FALSE;
    pmockprov_configure = (void *)GetProcAddress( mockprov, "mockprov_configure" );
    pmockprov_get_support = (void *)GetProcAddress( mockprov, "mockprov_get_support" );
    pmockprov_get_log = (void *)GetProcAddress( mockprov, "mockprov_get_log" );
    pmockprov_reset_log = (void *)GetProcAddress( mockprov, "mockprov_reset_log" );
    return pmockprov_configure && pmockprov_get_support && pmockprov_get_log && pmockprov_reset_log;
}

/* a mapisvc.inf with one mock store, in place of the real one during the tests */
static BOOL install_inf(void)
{
    char data[1024];
    DWORD written;
    HANDLE file;
    BOOL ret;

    sprintf( data,
             "[Services]\r\n"
             "WMXMOCK=Winemapix Mock Service\r\n"
             "\r\n"
             "[WMXMOCK]\r\n"
             "PR_DISPLAY_NAME=Winemapix Mock Service\r\n"
             "Providers=WMXMOCK Store\r\n"
             "\r\n"
             "[WMXMOCK Store]\r\n"
             "PR_DISPLAY_NAME=First Store\r\n"
             "PR_PROVIDER_DISPLAY=Mock Provider\r\n"
             "PR_PROVIDER_DLL_NAME=%s\r\n"
             "PR_RESOURCE_TYPE=MAPI_STORE_PROVIDER\r\n"
             "PR_RESOURCE_FLAGS=STATUS_DEFAULT_STORE\r\n",
             provider_name );

    GetSystemDirectoryA( inf_path, MAX_PATH );
    strcat( inf_path, "\\mapisvc.inf" );
    GetSystemDirectoryA( backup_path, MAX_PATH );
    strcat( backup_path, "\\mapisvc.inf.winemapix-copy" );
    if (GetFileAttributesA( backup_path ) == INVALID_FILE_ATTRIBUTES) MoveFileA( inf_path, backup_path );
    file = CreateFileA( inf_path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL );
    ok( file != INVALID_HANDLE_VALUE, "cannot write %s, error %lu.\n", inf_path, GetLastError() );
    if (file == INVALID_HANDLE_VALUE) return FALSE;
    ret = WriteFile( file, data, strlen( data ), &written, NULL );
    CloseHandle( file );
    return ret;
}

static void restore_inf(void)
{
    DeleteFileA( inf_path );
    MoveFileA( backup_path, inf_path );
}

static IMAPISession *session;
static IProfAdmin *admin;
static IMsgStore *store;

/* Logs on to a profile with the mock store and opens it; the support object is the store's. */
static IMAPISupport *open_support(void)
{
    IMsgServiceAdmin *services;
    IMAPITable *table;
    SRowSet *rows = NULL;
    IMAPISupport *support;
    HRESULT hr;

    hr = pMAPIInitialize( NULL );
    ok( hr == S_OK, "MAPIInitialize returned %#lx.\n", hr );
    hr = pMAPIAdminProfiles( 0, &admin );
    ok( hr == S_OK, "MAPIAdminProfiles returned %#lx.\n", hr );
    if (hr != S_OK) return NULL;
    IProfAdmin_DeleteProfile( admin, (WCHAR *)profile_name, 0 );
    hr = IProfAdmin_CreateProfile( admin, (WCHAR *)profile_name, NULL, 0, 0 );
    ok( hr == S_OK, "CreateProfile returned %#lx.\n", hr );
    hr = IProfAdmin_AdminServices( admin, (WCHAR *)profile_name, NULL, 0, 0, &services );
    ok( hr == S_OK, "AdminServices returned %#lx.\n", hr );
    if (hr != S_OK) return NULL;
    hr = IMsgServiceAdmin_CreateMsgService( services, (WCHAR *)"WMXMOCK", NULL, 0, 0 );
    ok( hr == S_OK, "CreateMsgService returned %#lx.\n", hr );
    IMsgServiceAdmin_Release( services );
    hr = pMAPILogonEx( 0, (char *)profile_name, NULL, MAPI_EXTENDED | MAPI_NEW_SESSION | MAPI_NO_MAIL, &session );
    ok( hr == S_OK, "MAPILogonEx returned %#lx.\n", hr );
    if (hr != S_OK) return NULL;
    pmockprov_configure( MOCK_PROFILE );

    hr = IMAPISession_GetMsgStoresTable( session, 0, &table );
    ok( hr == S_OK, "GetMsgStoresTable returned %#lx.\n", hr );
    if (hr != S_OK) return NULL;
    hr = IMAPITable_QueryRows( table, 1, 0, &rows );
    ok( hr == S_OK && rows && rows->cRows == 1, "QueryRows returned %#lx.\n", hr );
    IMAPITable_Release( table );
    if (hr != S_OK || !rows || !rows->cRows) return NULL;
    /* the entry ID is the first PT_BINARY PR_ENTRYID column of the default column set */
    {
        ULONG i;

        for (i = 0; i < rows->aRow[0].cValues; i++)
            if (rows->aRow[0].lpProps[i].ulPropTag == PR_ENTRYID) break;
        ok( i < rows->aRow[0].cValues, "no PR_ENTRYID.\n" );
        if (i < rows->aRow[0].cValues)
        {
            hr = IMAPISession_OpenMsgStore( session, 0, rows->aRow[0].lpProps[i].Value.bin.cb,
                                            (ENTRYID *)rows->aRow[0].lpProps[i].Value.bin.lpb, NULL,
                                            MDB_NO_DIALOG, &store );
            ok( hr == S_OK, "OpenMsgStore returned %#lx.\n", hr );
        }
    }
    pFreeProws( rows );
    if (!store) return NULL;
    support = pmockprov_get_support();
    ok( support != NULL, "no support object.\n" );
    return support;
}

static void close_support(void)
{
    if (store) IMsgStore_Release( store );
    store = NULL;
    if (session)
    {
        IMAPISession_Logoff( session, 0, 0, 0 );
        IMAPISession_Release( session );
    }
    session = NULL;
    if (admin)
    {
        IProfAdmin_DeleteProfile( admin, (WCHAR *)profile_name, 0 );
        IProfAdmin_Release( admin );
    }
    admin = NULL;
    pMAPIUninitialize();
    pmockprov_configure( 0 );
}

static IPropData *create_props( ULONG importance, const char *subject, const char *body )
{
    SPropValue values[3];
    IPropData *obj = NULL;
    ULONG count = 0;
    HRESULT hr;

    hr = pCreateIProp( &IID_IMAPIPropData, pMAPIAllocateBuffer, pMAPIAllocateMore, pMAPIFreeBuffer, NULL, &obj );
    ok( hr == S_OK, "CreateIProp returned %#lx.\n", hr );
    if (importance)
    {
        values[count].ulPropTag = PR_IMPORTANCE;
        values[count++].Value.l = importance;
    }
    if (subject)
    {
        values[count].ulPropTag = PR_SUBJECT_A;
        values[count++].Value.lpszA = (char *)subject;
    }
    if (body)
    {
        values[count].ulPropTag = PR_BODY_A;
        values[count++].Value.lpszA = (char *)body;
    }
    hr = IPropData_SetProps( obj, count, values, NULL );
    ok( hr == S_OK, "SetProps returned %#lx.\n", hr );
    return obj;
}

/* the value of tag in obj: a number, or a string compared with expect */
#define check_prop(a, b, c, d) check_prop_(__LINE__, a, b, c, d)
static void check_prop_( unsigned int line, IPropData *obj, ULONG tag, ULONG number, const char *string )
{
    SizedSPropTagArray(1, tags) = { 1, { tag } };
    SPropValue *value = NULL;
    ULONG count;
    HRESULT hr;

    hr = IPropData_GetProps( obj, (SPropTagArray *)&tags, 0, &count, &value );
    if (!number && !string)
    {
        ok_(__FILE__, line)( hr == MAPI_W_ERRORS_RETURNED && value && PROP_TYPE(value->ulPropTag) == PT_ERROR,
                             "%#lx: got hr %#lx, tag %#lx.\n", tag, hr, value ? value->ulPropTag : 0 );
    }
    else
    {
        ok_(__FILE__, line)( hr == S_OK && value && value->ulPropTag == tag, "%#lx: got hr %#lx.\n", tag, hr );
        if (hr == S_OK && value && string)
            ok_(__FILE__, line)( !strcmp( value->Value.lpszA, string ), "%#lx: got %s.\n", tag, value->Value.lpszA );
        else if (hr == S_OK && value)
            ok_(__FILE__, line)( value->Value.l == number, "%#lx: got %ld.\n", tag, value->Value.l );
    }
    pMAPIFreeBuffer( value );
}

static void test_DoCopyTo( IMAPISupport *support )
{
    SizedSPropTagArray(1, exclude_body) = { 1, { PROP_TAG(PT_LONG, PROP_ID(PR_BODY_A)) } };
    SizedSPropTagArray(1, subject_tag) = { 1, { PR_SUBJECT_A } };
    SizedSPropTagArray(0, empty) = { 0 };
    ULONG readonly = IPROP_READONLY;
    SPropProblemArray *problems;
    IPropData *src, *dest;
    HRESULT hr;

    src = create_props( 2, "subject", "body" );
    dest = create_props( 1, NULL, NULL );

    hr = IMAPISupport_DoCopyTo( support, NULL, src, 0, NULL, NULL, 0, NULL, &IID_IMAPIPropData, dest, 0, NULL );
    ok( hr == MAPI_E_INVALID_PARAMETER, "DoCopyTo returned %#lx.\n", hr );
    hr = IMAPISupport_DoCopyTo( support, &IID_IMAPIPropData, src, 0, NULL, (SPropTagArray *)&empty, 0, NULL,
                                &IID_IMAPIPropData, dest, 0, NULL );
    ok( hr == MAPI_E_INVALID_PARAMETER, "DoCopyTo returned %#lx.\n", hr );
    hr = IMAPISupport_DoCopyTo( support, &IID_IMAPIPropData, src, 0, NULL, NULL, 0, NULL,
                                &IID_IMAPIPropData, src, 0, NULL );
    ok( hr == MAPI_E_NO_ACCESS, "DoCopyTo returned %#lx.\n", hr );
    hr = IMAPISupport_DoCopyTo( support, &IID_IMAPIPropData, src, 0, NULL, NULL, 0, NULL,
                                &IID_IMessage, dest, 0, NULL );
    ok( hr == MAPI_E_INTERFACE_NOT_SUPPORTED, "DoCopyTo returned %#lx.\n", hr );
    hr = IMAPISupport_DoCopyTo( support, &IID_IMessage, src, 0, NULL, NULL, 0, NULL,
                                &IID_IMAPIPropData, dest, 0, NULL );
    ok( hr == MAPI_E_INTERFACE_NOT_SUPPORTED, "DoCopyTo returned %#lx.\n", hr );
    check_prop( dest, PR_SUBJECT_A, 0, NULL );

    /* excluding the source's interface copies nothing */
    hr = IMAPISupport_DoCopyTo( support, &IID_IMAPIPropData, src, 1, &IID_IMAPIPropData, NULL, 0, NULL,
                                &IID_IMAPIPropData, dest, 0, NULL );
    ok( hr == S_OK, "DoCopyTo returned %#lx.\n", hr );
    check_prop( dest, PR_SUBJECT_A, 0, NULL );
    check_prop( dest, PR_IMPORTANCE, 1, NULL );

    /* MAPI_NOREPLACE keeps what the destination has; excluded IDs match whatever their type */
    problems = (void *)0xdeadbeef;
    hr = IMAPISupport_DoCopyTo( support, &IID_IMAPIPropData, src, 0, NULL, (SPropTagArray *)&exclude_body, 0, NULL,
                                &IID_IMAPIPropData, dest, MAPI_NOREPLACE | MAPI_DIALOG, &problems );
    ok( hr == S_OK, "DoCopyTo returned %#lx.\n", hr );
    ok( !problems, "got problems %p.\n", problems );
    check_prop( dest, PR_SUBJECT_A, 0, "subject" );
    check_prop( dest, PR_IMPORTANCE, 1, NULL );
    check_prop( dest, PR_BODY_A, 0, NULL );
    check_prop( src, PR_SUBJECT_A, 0, "subject" );
    IPropData_Release( dest );

    /* a plain copy overwrites */
    dest = create_props( 1, NULL, NULL );
    hr = IMAPISupport_DoCopyTo( support, &IID_IMAPIPropData, src, 0, NULL, NULL, 0, NULL,
                                &IID_IMAPIProp, dest, 0, NULL );
    ok( hr == S_OK, "DoCopyTo returned %#lx.\n", hr );
    check_prop( dest, PR_IMPORTANCE, 2, NULL );
    check_prop( dest, PR_BODY_A, 0, "body" );
    IPropData_Release( dest );

    /* what the destination refuses comes back as a problem */
    dest = create_props( 1, "old", NULL );
    hr = IPropData_HrSetPropAccess( dest, (SPropTagArray *)&subject_tag, &readonly );
    ok( hr == S_OK, "HrSetPropAccess returned %#lx.\n", hr );
    problems = NULL;
    hr = IMAPISupport_DoCopyTo( support, &IID_IMAPIPropData, src, 0, NULL, NULL, 0, NULL,
                                &IID_IMAPIPropData, dest, 0, &problems );
    ok( hr == S_OK, "DoCopyTo returned %#lx.\n", hr );
    ok( problems && problems->cProblem == 1, "got problems %p.\n", problems );
    if (problems && problems->cProblem == 1)
    {
        ok( problems->aProblem[0].ulPropTag == PR_SUBJECT_A, "got tag %#lx.\n", problems->aProblem[0].ulPropTag );
        ok( problems->aProblem[0].scode == MAPI_E_NO_ACCESS, "got %#lx.\n", problems->aProblem[0].scode );
    }
    pMAPIFreeBuffer( problems );
    check_prop( dest, PR_SUBJECT_A, 0, "old" );
    check_prop( dest, PR_IMPORTANCE, 2, NULL );
    IPropData_Release( dest );

    /* MAPI_MOVE takes the copied properties from the source */
    dest = create_props( 0, NULL, NULL );
    hr = IMAPISupport_DoCopyTo( support, &IID_IMAPIPropData, src, 0, NULL, (SPropTagArray *)&exclude_body, 0, NULL,
                                &IID_IMAPIPropData, dest, MAPI_MOVE, NULL );
    ok( hr == S_OK, "DoCopyTo returned %#lx.\n", hr );
    check_prop( dest, PR_SUBJECT_A, 0, "subject" );
    check_prop( dest, PR_IMPORTANCE, 2, NULL );
    check_prop( dest, PR_BODY_A, 0, NULL );
    check_prop( src, PR_SUBJECT_A, 0, NULL );
    check_prop( src, PR_IMPORTANCE, 0, NULL );
    check_prop( src, PR_BODY_A, 0, "body" );
    IPropData_Release( dest );
    IPropData_Release( src );
}

static void test_DoCopyProps( IMAPISupport *support )
{
    SizedSPropTagArray(2, include) = { 2, { PR_SUBJECT_A, PR_IMPORTANCE } };
    IPropData *src, *dest;
    HRESULT hr;

    src = create_props( 2, "subject", "body" );
    dest = create_props( 1, NULL, NULL );

    hr = IMAPISupport_DoCopyProps( support, &IID_IMAPIPropData, src, NULL, 0, NULL, &IID_IMAPIPropData, dest, 0, NULL );
    ok( hr == MAPI_E_INVALID_PARAMETER, "DoCopyProps returned %#lx.\n", hr );
    hr = IMAPISupport_DoCopyProps( support, NULL, src, (SPropTagArray *)&include, 0, NULL,
                                   &IID_IMAPIPropData, dest, 0, NULL );
    ok( hr == MAPI_E_INVALID_PARAMETER, "DoCopyProps returned %#lx.\n", hr );
    hr = IMAPISupport_DoCopyProps( support, &IID_IMAPIPropData, src, (SPropTagArray *)&include, 0, NULL,
                                   &IID_IMAPIPropData, src, 0, NULL );
    ok( hr == MAPI_E_NO_ACCESS, "DoCopyProps returned %#lx.\n", hr );
    hr = IMAPISupport_DoCopyProps( support, &IID_IMAPIPropData, src, (SPropTagArray *)&include, 0, NULL,
                                   &IID_IMAPIFolder, dest, 0, NULL );
    ok( hr == MAPI_E_INTERFACE_NOT_SUPPORTED, "DoCopyProps returned %#lx.\n", hr );

    hr = IMAPISupport_DoCopyProps( support, &IID_IMAPIPropData, src, (SPropTagArray *)&include, 0, NULL,
                                   &IID_IMAPIPropData, dest, MAPI_NOREPLACE, NULL );
    ok( hr == S_OK, "DoCopyProps returned %#lx.\n", hr );
    check_prop( dest, PR_SUBJECT_A, 0, "subject" );
    check_prop( dest, PR_IMPORTANCE, 1, NULL );
    check_prop( dest, PR_BODY_A, 0, NULL );

    hr = IMAPISupport_DoCopyProps( support, &IID_IMAPIPropData, src, (SPropTagArray *)&include, 0, NULL,
                                   &IID_IMAPIPropData, dest, MAPI_MOVE, NULL );
    ok( hr == S_OK, "DoCopyProps returned %#lx.\n", hr );
    check_prop( dest, PR_IMPORTANCE, 2, NULL );
    check_prop( src, PR_SUBJECT_A, 0, NULL );
    check_prop( src, PR_IMPORTANCE, 0, NULL );
    check_prop( src, PR_BODY_A, 0, "body" );
    IPropData_Release( dest );
    IPropData_Release( src );
}

/* Minimal folder and message mocks for CopyMessages (typed as Wine's
 * mapidefs.h has them: ULONG UI parameters, a single-pointer CreateFolder
 * result): a message is an
 * IPropData behind IMessage; a folder is a few message slots whose entry ID
 * is four flag bytes and the slot number. */
#define MOCK_SLOTS 4

struct mock_folder
{
    IMAPIFolder IMAPIFolder_iface;
    IPropData *slots[MOCK_SLOTS];
    unsigned int deleted;   /* messages DeleteMessages removed */
    IPropData *props;       /* NULL for a folder without properties */
    struct mock_folder *children[MOCK_SLOTS]; /* subfolders, on the heap; entry ID 0x10 + index */
    ULONG delete_flags;     /* of the last DeleteFolder */
};

#define MOCK_FOLDER 0x10

struct mock_message
{
    IMessage IMessage_iface;
    LONG refcount;
    struct mock_folder *folder;
    IPropData *props;
    int slot;               /* -1 until SaveChanges for a new message */
    ITableData *recipients; /* rows indexed by PR_ROWID, created on first use */
    ITableData *attach_table; /* one PR_ATTACH_NUM row per attachment */
    IPropData *attachments[MOCK_SLOTS];
    ULONG attach_count;
};

static SizedSPropTagArray(2, recipient_columns) = { 2, { PR_ROWID, PR_DISPLAY_NAME_A } };
static SizedSPropTagArray(1, attach_columns) = { 1, { PR_ATTACH_NUM } };

static struct mock_message *impl_from_IMessage( IMessage *iface )
{
    return CONTAINING_RECORD( iface, struct mock_message, IMessage_iface );
}

static HRESULT WINAPI message_QueryInterface( IMessage *iface, REFIID riid, void **out )
{
    if (IsEqualIID( riid, &IID_IUnknown ) || IsEqualIID( riid, &IID_IMAPIProp ) || IsEqualIID( riid, &IID_IMessage ))
    {
        *out = iface;
        IMessage_AddRef( iface );
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI message_AddRef( IMessage *iface )
{
    return InterlockedIncrement( &impl_from_IMessage( iface )->refcount );
}

static ULONG WINAPI message_Release( IMessage *iface )
{
    struct mock_message *message = impl_from_IMessage( iface );
    ULONG refcount = InterlockedDecrement( &message->refcount );

    if (!refcount)
    {
        ULONG i;

        IPropData_Release( message->props );
        if (message->recipients) ITableData_Release( message->recipients );
        if (message->attach_table) ITableData_Release( message->attach_table );
        for (i = 0; i < message->attach_count; i++) IPropData_Release( message->attachments[i] );
        free( message );
    }
    return refcount;
}

static HRESULT WINAPI message_GetLastError( IMessage *iface, HRESULT hr, ULONG flags, MAPIERROR **error )
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI message_SaveChanges( IMessage *iface, ULONG flags )
{
    struct mock_message *message = impl_from_IMessage( iface );
    int i;

    if (message->slot >= 0) return S_OK;
    for (i = 0; i < MOCK_SLOTS; i++) if (!message->folder->slots[i]) break;
    if (i == MOCK_SLOTS) return MAPI_E_NOT_ENOUGH_MEMORY;
    message->slot = i;
    message->folder->slots[i] = message->props;
    IPropData_AddRef( message->props );
    return S_OK;
}

static HRESULT WINAPI message_GetProps( IMessage *iface, SPropTagArray *tags, ULONG flags, ULONG *count,
                                        SPropValue **values )
{
    return IPropData_GetProps( impl_from_IMessage( iface )->props, tags, flags, count, values );
}

static HRESULT WINAPI message_GetPropList( IMessage *iface, ULONG flags, SPropTagArray **tags )
{
    return IPropData_GetPropList( impl_from_IMessage( iface )->props, flags, tags );
}

static HRESULT WINAPI message_OpenProperty( IMessage *iface, ULONG tag, const IID *iid, ULONG options,
                                            ULONG flags, IUnknown **unk )
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI message_SetProps( IMessage *iface, ULONG count, SPropValue *values,
                                        SPropProblemArray **problems )
{
    return IPropData_SetProps( impl_from_IMessage( iface )->props, count, values, problems );
}

static HRESULT WINAPI message_DeleteProps( IMessage *iface, SPropTagArray *tags, SPropProblemArray **problems )
{
    return IPropData_DeleteProps( impl_from_IMessage( iface )->props, tags, problems );
}

static HRESULT WINAPI message_CopyTo( IMessage *iface, ULONG count, const IID *exclude, SPropTagArray *tags,
                                      ULONG ui_param, IMAPIProgress *progress, const IID *iid, void *dest,
                                      ULONG flags, SPropProblemArray **problems )
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI message_CopyProps( IMessage *iface, SPropTagArray *tags, ULONG ui_param,
                                         IMAPIProgress *progress, const IID *iid, void *dest, ULONG flags,
                                         SPropProblemArray **problems )
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI message_GetNamesFromIDs( IMessage *iface, SPropTagArray **tags, GUID *guid, ULONG flags,
                                               ULONG *count, MAPINAMEID ***names )
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI message_GetIDsFromNames( IMessage *iface, ULONG count, MAPINAMEID **names, ULONG flags,
                                               SPropTagArray **tags )
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI message_GetAttachmentTable( IMessage *iface, ULONG flags, IMAPITable **table )
{
    struct mock_message *message = impl_from_IMessage( iface );
    HRESULT hr;

    if (!message->attach_table)
    {
        hr = pCreateTable( &IID_IMAPITableData, pMAPIAllocateBuffer, pMAPIAllocateMore, pMAPIFreeBuffer, NULL,
                           TBLTYPE_DYNAMIC, PR_ATTACH_NUM, (SPropTagArray *)&attach_columns,
                           &message->attach_table );
        if (FAILED(hr)) return hr;
    }
    return ITableData_HrGetView( message->attach_table, NULL, NULL, 0, table );
}

/* an attachment is its IPropData: IAttach adds nothing to IMAPIProp */
static HRESULT WINAPI message_OpenAttach( IMessage *iface, ULONG num, const IID *iid, ULONG flags, IAttach **attach )
{
    struct mock_message *message = impl_from_IMessage( iface );

    if (num >= message->attach_count) return MAPI_E_NOT_FOUND;
    *attach = (IAttach *)message->attachments[num];
    IPropData_AddRef( message->attachments[num] );
    return S_OK;
}

static HRESULT WINAPI message_CreateAttach( IMessage *iface, const IID *iid, ULONG flags, ULONG *num,
                                            IAttach **attach )
{
    struct mock_message *message = impl_from_IMessage( iface );
    IMAPITable *table;
    SPropValue value;
    SRow row = { 0, 1, &value };
    IPropData *props;
    HRESULT hr;

    if (message->attach_count == MOCK_SLOTS) return MAPI_E_NOT_ENOUGH_MEMORY;
    /* makes the table */
    if (FAILED(hr = message_GetAttachmentTable( iface, 0, &table ))) return hr;
    IMAPITable_Release( table );
    hr = pCreateIProp( &IID_IMAPIPropData, pMAPIAllocateBuffer, pMAPIAllocateMore, pMAPIFreeBuffer, NULL, &props );
    if (FAILED(hr)) return hr;
    value.ulPropTag = PR_ATTACH_NUM;
    value.Value.l = message->attach_count;
    ITableData_HrModifyRow( message->attach_table, &row );
    message->attachments[message->attach_count] = props;
    *num = message->attach_count++;
    IPropData_AddRef( props );
    *attach = (IAttach *)props;
    return S_OK;
}

static HRESULT WINAPI message_DeleteAttach( IMessage *iface, ULONG num, ULONG ui_param,
                                            IMAPIProgress *progress, ULONG flags )
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI message_GetRecipientTable( IMessage *iface, ULONG flags, IMAPITable **table )
{
    struct mock_message *message = impl_from_IMessage( iface );
    HRESULT hr;

    if (!message->recipients)
    {
        hr = pCreateTable( &IID_IMAPITableData, pMAPIAllocateBuffer, pMAPIAllocateMore, pMAPIFreeBuffer, NULL,
                           TBLTYPE_DYNAMIC, PR_ROWID, (SPropTagArray *)&recipient_columns, &message->recipients );
        if (FAILED(hr)) return hr;
    }
    return ITableData_HrGetView( message->recipients, NULL, NULL, 0, table );
}

/* keeps each entry's display name under a new row ID; without MODRECIP_ADD the old rows go */
static HRESULT WINAPI message_ModifyRecipients( IMessage *iface, ULONG flags, ADRLIST *list )
{
    struct mock_message *message = impl_from_IMessage( iface );
    SPropValue values[2], *name;
    SRow row = { 0, 2, values };
    IMAPITable *table;
    ULONG i, count = 0;
    HRESULT hr;

    if (!(flags & 2) && message->recipients)
    {
        ITableData_Release( message->recipients );
        message->recipients = NULL;
    }
    if (FAILED(hr = message_GetRecipientTable( iface, 0, &table ))) return hr;
    IMAPITable_GetRowCount( table, 0, &count );
    IMAPITable_Release( table );
    for (i = 0; i < list->cEntries; i++)
    {
        name = pPpropFindProp( list->aEntries[i].rgPropVals, list->aEntries[i].cValues, PR_DISPLAY_NAME_A );
        if (!name) return MAPI_E_INVALID_PARAMETER;
        values[0].ulPropTag = PR_ROWID;
        values[0].Value.l = count++;
        values[1] = *name;
        if (FAILED(hr = ITableData_HrModifyRow( message->recipients, &row ))) return hr;
    }
    return S_OK;
}

static HRESULT WINAPI message_SubmitMessage( IMessage *iface, ULONG flags )
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI message_SetReadFlag( IMessage *iface, ULONG flags )
{
    return MAPI_E_NO_SUPPORT;
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

static IMessage *create_message( struct mock_folder *folder, IPropData *props, int slot )
{
    struct mock_message *message = calloc( 1, sizeof(*message) );

    message->IMessage_iface.lpVtbl = &message_vtbl;
    message->refcount = 1;
    message->folder = folder;
    message->props = props;
    IPropData_AddRef( props );
    message->slot = slot;
    return &message->IMessage_iface;
}

static struct mock_folder *impl_from_IMAPIFolder( IMAPIFolder *iface )
{
    return CONTAINING_RECORD( iface, struct mock_folder, IMAPIFolder_iface );
}

static HRESULT WINAPI folder_QueryInterface( IMAPIFolder *iface, REFIID riid, void **out )
{
    if (IsEqualIID( riid, &IID_IUnknown ) || IsEqualIID( riid, &IID_IMAPIProp )
            || IsEqualIID( riid, &IID_IMAPIContainer ) || IsEqualIID( riid, &IID_IMAPIFolder ))
    {
        *out = iface;
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

/* the folders live on the test's stack */
static ULONG WINAPI folder_AddRef( IMAPIFolder *iface )
{
    return 2;
}

static ULONG WINAPI folder_Release( IMAPIFolder *iface )
{
    return 1;
}

static HRESULT WINAPI folder_GetLastError( IMAPIFolder *iface, HRESULT hr, ULONG flags, MAPIERROR **error )
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI folder_SaveChanges( IMAPIFolder *iface, ULONG flags )
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI folder_GetProps( IMAPIFolder *iface, SPropTagArray *tags, ULONG flags, ULONG *count,
                                       SPropValue **values )
{
    struct mock_folder *folder = impl_from_IMAPIFolder( iface );

    if (!folder->props) return MAPI_E_NO_SUPPORT;
    return IPropData_GetProps( folder->props, tags, flags, count, values );
}

static HRESULT WINAPI folder_GetPropList( IMAPIFolder *iface, ULONG flags, SPropTagArray **tags )
{
    struct mock_folder *folder = impl_from_IMAPIFolder( iface );

    if (!folder->props) return MAPI_E_NO_SUPPORT;
    return IPropData_GetPropList( folder->props, flags, tags );
}

static HRESULT WINAPI folder_OpenProperty( IMAPIFolder *iface, ULONG tag, const IID *iid, ULONG options,
                                           ULONG flags, IUnknown **unk )
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI folder_SetProps( IMAPIFolder *iface, ULONG count, SPropValue *values,
                                       SPropProblemArray **problems )
{
    struct mock_folder *folder = impl_from_IMAPIFolder( iface );

    if (!folder->props) return MAPI_E_NO_SUPPORT;
    return IPropData_SetProps( folder->props, count, values, problems );
}

static HRESULT WINAPI folder_DeleteProps( IMAPIFolder *iface, SPropTagArray *tags, SPropProblemArray **problems )
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI folder_CopyTo( IMAPIFolder *iface, ULONG count, const IID *exclude, SPropTagArray *tags,
                                     ULONG ui_param, IMAPIProgress *progress, const IID *iid, void *dest,
                                     ULONG flags, SPropProblemArray **problems )
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI folder_CopyProps( IMAPIFolder *iface, SPropTagArray *tags, ULONG ui_param,
                                        IMAPIProgress *progress, const IID *iid, void *dest, ULONG flags,
                                        SPropProblemArray **problems )
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI folder_GetNamesFromIDs( IMAPIFolder *iface, SPropTagArray **tags, GUID *guid, ULONG flags,
                                              ULONG *count, MAPINAMEID ***names )
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI folder_GetIDsFromNames( IMAPIFolder *iface, ULONG count, MAPINAMEID **names, ULONG flags,
                                              SPropTagArray **tags )
{
    return MAPI_E_NO_SUPPORT;
}

/* a table of PR_ROWID and PR_ENTRYID for the used entries */
static HRESULT entry_table( const BOOL *used, BYTE first, IMAPITable **table )
{
    static SizedSPropTagArray(2, columns) = { 2, { PR_ROWID, PR_ENTRYID } };
    BYTE ids[MOCK_SLOTS][5];
    SPropValue values[2];
    SRow row = { 0, 2, values };
    ITableData *data;
    HRESULT hr;
    int i;

    hr = pCreateTable( &IID_IMAPITableData, pMAPIAllocateBuffer, pMAPIAllocateMore, pMAPIFreeBuffer, NULL,
                       TBLTYPE_SNAPSHOT, PR_ROWID, (SPropTagArray *)&columns, &data );
    if (FAILED(hr)) return hr;
    for (i = 0; i < MOCK_SLOTS; i++)
    {
        if (!used[i]) continue;
        memset( ids[i], 0, 5 );
        ids[i][4] = first + i;
        values[0].ulPropTag = PR_ROWID;
        values[0].Value.l = i;
        values[1].ulPropTag = PR_ENTRYID;
        values[1].Value.bin.cb = 5;
        values[1].Value.bin.lpb = ids[i];
        ITableData_HrModifyRow( data, &row );
    }
    hr = ITableData_HrGetView( data, NULL, NULL, 0, table );
    ITableData_Release( data );
    return hr;
}

static HRESULT WINAPI folder_GetContentsTable( IMAPIFolder *iface, ULONG flags, IMAPITable **table )
{
    struct mock_folder *folder = impl_from_IMAPIFolder( iface );
    BOOL used[MOCK_SLOTS];
    int i;

    for (i = 0; i < MOCK_SLOTS; i++) used[i] = folder->slots[i] != NULL;
    return entry_table( used, 0, table );
}

static HRESULT WINAPI folder_GetHierarchyTable( IMAPIFolder *iface, ULONG flags, IMAPITable **table )
{
    struct mock_folder *folder = impl_from_IMAPIFolder( iface );
    BOOL used[MOCK_SLOTS];
    int i;

    for (i = 0; i < MOCK_SLOTS; i++) used[i] = folder->children[i] != NULL;
    return entry_table( used, MOCK_FOLDER, table );
}

static int folder_slot( ULONG size, const ENTRYID *entry )
{
    if (size != 5 || !entry || entry->ab[0] < MOCK_FOLDER || entry->ab[0] >= MOCK_FOLDER + MOCK_SLOTS) return -1;
    return entry->ab[0] - MOCK_FOLDER;
}

static int entry_slot( ULONG size, const ENTRYID *entry )
{
    if (size != 5 || !entry || entry->ab[0] >= MOCK_SLOTS) return -1;
    return entry->ab[0];
}

static HRESULT WINAPI folder_OpenEntry( IMAPIFolder *iface, ULONG size, ENTRYID *entry, const IID *iid,
                                       ULONG flags, ULONG *type, IUnknown **unk )
{
    struct mock_folder *folder = impl_from_IMAPIFolder( iface );
    int slot = entry_slot( size, entry );

    if ((slot = folder_slot( size, entry )) >= 0 && folder->children[slot])
    {
        *type = MAPI_FOLDER;
        *unk = (IUnknown *)&folder->children[slot]->IMAPIFolder_iface;
        return S_OK;
    }
    slot = entry_slot( size, entry );
    if (slot < 0 || !folder->slots[slot]) return MAPI_E_NOT_FOUND;
    *type = MAPI_MESSAGE;
    *unk = (IUnknown *)create_message( folder, folder->slots[slot], slot );
    return S_OK;
}

static HRESULT WINAPI folder_SetSearchCriteria( IMAPIFolder *iface, SRestriction *restriction,
                                                ENTRYLIST *containers, ULONG flags )
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI folder_GetSearchCriteria( IMAPIFolder *iface, ULONG flags, SRestriction **restriction,
                                                ENTRYLIST **containers, ULONG *state )
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI folder_CreateMessage( IMAPIFolder *iface, const IID *iid, ULONG flags, IMessage **message )
{
    IPropData *props;
    HRESULT hr;

    hr = pCreateIProp( &IID_IMAPIPropData, pMAPIAllocateBuffer, pMAPIAllocateMore, pMAPIFreeBuffer, NULL, &props );
    if (FAILED(hr)) return hr;
    *message = create_message( impl_from_IMAPIFolder( iface ), props, -1 );
    IPropData_Release( props );
    return S_OK;
}

static HRESULT WINAPI folder_CopyMessages( IMAPIFolder *iface, ENTRYLIST *list, const IID *iid, void *dest,
                                           ULONG ui_param, IMAPIProgress *progress, ULONG flags )
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI folder_DeleteMessages( IMAPIFolder *iface, ENTRYLIST *list, ULONG ui_param,
                                             IMAPIProgress *progress, ULONG flags )
{
    struct mock_folder *folder = impl_from_IMAPIFolder( iface );
    ULONG i;
    int slot;

    for (i = 0; i < list->cValues; i++)
    {
        if ((slot = entry_slot( list->lpbin[i].cb, (ENTRYID *)list->lpbin[i].lpb )) < 0 || !folder->slots[slot])
            continue;
        IPropData_Release( folder->slots[slot] );
        folder->slots[slot] = NULL;
        folder->deleted++;
    }
    return S_OK;
}

static struct mock_folder *create_folder( const WCHAR *name );
static void free_folder( struct mock_folder *folder );

/* takes Unicode names only; names are unique among the subfolders */
static HRESULT WINAPI folder_CreateFolder( IMAPIFolder *iface, ULONG type, char *name, char *comment,
                                          const IID *iid, ULONG flags, IMAPIFolder *out )
{
    struct mock_folder *folder = impl_from_IMAPIFolder( iface );
    SizedSPropTagArray(1, tags) = { 1, { PR_DISPLAY_NAME_W } };
    SPropValue *value;
    ULONG count;
    int i, free_slot = -1;

    if (!(flags & MAPI_UNICODE) || !name) return MAPI_E_BAD_CHARWIDTH;
    for (i = 0; i < MOCK_SLOTS; i++)
    {
        if (!folder->children[i])
        {
            if (free_slot < 0) free_slot = i;
            continue;
        }
        if (FAILED(IPropData_GetProps( folder->children[i]->props, (SPropTagArray *)&tags, 0, &count, &value )))
            continue;
        count = value->ulPropTag == PR_DISPLAY_NAME_W && !wcscmp( value->Value.lpszW, (WCHAR *)name );
        pMAPIFreeBuffer( value );
        if (count) return MAPI_E_COLLISION;
    }
    if (free_slot < 0) return MAPI_E_NOT_ENOUGH_MEMORY;
    folder->children[free_slot] = create_folder( (WCHAR *)name );
    /* Wine's mapidefs.h declares the result as a single pointer */
    *(IMAPIFolder **)out = &folder->children[free_slot]->IMAPIFolder_iface;
    return S_OK;
}

static HRESULT WINAPI folder_CopyFolder( IMAPIFolder *iface, ULONG size, ENTRYID *entry, const IID *iid,
                                         void *dest, char *name, ULONG ui_param, IMAPIProgress *progress,
                                         ULONG flags )
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI folder_DeleteFolder( IMAPIFolder *iface, ULONG size, ENTRYID *entry, ULONG ui_param,
                                           IMAPIProgress *progress, ULONG flags )
{
    struct mock_folder *folder = impl_from_IMAPIFolder( iface );
    int slot = folder_slot( size, entry );

    if (slot < 0 || !folder->children[slot]) return MAPI_E_NOT_FOUND;
    folder->delete_flags = flags;
    free_folder( folder->children[slot] );
    free( folder->children[slot] );
    folder->children[slot] = NULL;
    return S_OK;
}

static HRESULT WINAPI folder_SetReadFlags( IMAPIFolder *iface, ENTRYLIST *list, ULONG ui_param,
                                           IMAPIProgress *progress, ULONG flags )
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI folder_GetMessageStatus( IMAPIFolder *iface, ULONG size, ENTRYID *entry, ULONG flags,
                                               ULONG *status )
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI folder_SetMessageStatus( IMAPIFolder *iface, ULONG size, ENTRYID *entry, ULONG status,
                                               ULONG mask, ULONG *old_status )
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI folder_SaveContentsSort( IMAPIFolder *iface, SSortOrderSet *sort, ULONG flags )
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI folder_EmptyFolder( IMAPIFolder *iface, ULONG ui_param, IMAPIProgress *progress,
                                          ULONG flags )
{
    return MAPI_E_NO_SUPPORT;
}

static const IMAPIFolderVtbl folder_vtbl =
{
    folder_QueryInterface,
    folder_AddRef,
    folder_Release,
    folder_GetLastError,
    folder_SaveChanges,
    folder_GetProps,
    folder_GetPropList,
    folder_OpenProperty,
    folder_SetProps,
    folder_DeleteProps,
    folder_CopyTo,
    folder_CopyProps,
    folder_GetNamesFromIDs,
    folder_GetIDsFromNames,
    folder_GetContentsTable,
    folder_GetHierarchyTable,
    folder_OpenEntry,
    folder_SetSearchCriteria,
    folder_GetSearchCriteria,
    folder_CreateMessage,
    folder_CopyMessages,
    folder_DeleteMessages,
    folder_CreateFolder,
    folder_CopyFolder,
    folder_DeleteFolder,
    folder_SetReadFlags,
    folder_GetMessageStatus,
    folder_SetMessageStatus,
    folder_SaveContentsSort,
    folder_EmptyFolder,
};

static struct mock_folder *create_folder( const WCHAR *name )
{
    struct mock_folder *folder = calloc( 1, sizeof(*folder) );
    SPropValue value;
    HRESULT hr;

    folder->IMAPIFolder_iface.lpVtbl = &folder_vtbl;
    hr = pCreateIProp( &IID_IMAPIPropData, pMAPIAllocateBuffer, pMAPIAllocateMore, pMAPIFreeBuffer, NULL,
                       &folder->props );
    ok( hr == S_OK, "CreateIProp returned %#lx.\n", hr );
    value.ulPropTag = PR_DISPLAY_NAME_W;
    value.Value.lpszW = (WCHAR *)name;
    IPropData_SetProps( folder->props, 1, &value, NULL );
    return folder;
}

/* frees what the folder holds, and its subfolders */
static void free_folder( struct mock_folder *folder )
{
    unsigned int i;

    for (i = 0; i < MOCK_SLOTS; i++)
    {
        if (folder->slots[i]) IPropData_Release( folder->slots[i] );
        if (folder->children[i])
        {
            free_folder( folder->children[i] );
            free( folder->children[i] );
        }
    }
    if (folder->props) IPropData_Release( folder->props );
}

static void test_CopyMessages( IMAPISupport *support )
{
    struct mock_folder src = { { &folder_vtbl } }, dest = { { &folder_vtbl } };
    BYTE ids[3][5] = { { 0, 0, 0, 0, 0 }, { 0, 0, 0, 0, 1 }, { 0, 0, 0, 0, 3 } };
    SBinary bins[3] = { { 5, ids[0] }, { 5, ids[1] }, { 5, ids[2] } };
    ENTRYLIST list = { 2, bins };
    HRESULT hr;

    src.slots[0] = create_props( 1, "first", NULL );
    src.slots[1] = create_props( 2, "second", NULL );

    hr = IMAPISupport_CopyMessages( support, &IID_IMAPIFolder, &src.IMAPIFolder_iface, NULL,
                                    &IID_IMAPIFolder, &dest.IMAPIFolder_iface, 0, NULL, 0 );
    ok( hr == MAPI_E_INVALID_PARAMETER, "CopyMessages returned %#lx.\n", hr );
    hr = IMAPISupport_CopyMessages( support, &IID_IMAPIFolder, &src.IMAPIFolder_iface, &list,
                                    &IID_IMessage, &dest.IMAPIFolder_iface, 0, NULL, 0 );
    ok( hr == MAPI_E_INTERFACE_NOT_SUPPORTED, "CopyMessages returned %#lx.\n", hr );
    hr = IMAPISupport_CopyMessages( support, &IID_IMAPIFolder, &src.IMAPIFolder_iface, &list,
                                    &IID_IMAPIFolder, &dest.IMAPIFolder_iface, 0, NULL, MAPI_DECLINE_OK );
    ok( hr == MAPI_E_DECLINE_COPY, "CopyMessages returned %#lx.\n", hr );
    ok( !dest.slots[0], "a message was copied.\n" );

    hr = IMAPISupport_CopyMessages( support, &IID_IMAPIFolder, &src.IMAPIFolder_iface, &list,
                                    &IID_IMAPIFolder, &dest.IMAPIFolder_iface, 0, NULL, 0 );
    ok( hr == S_OK, "CopyMessages returned %#lx.\n", hr );
    ok( dest.slots[0] && dest.slots[1] && !dest.slots[2], "got %p, %p, %p.\n",
        dest.slots[0], dest.slots[1], dest.slots[2] );
    if (dest.slots[1])
    {
        check_prop( dest.slots[0], PR_SUBJECT_A, 0, "first" );
        check_prop( dest.slots[1], PR_SUBJECT_A, 0, "second" );
        check_prop( dest.slots[1], PR_IMPORTANCE, 2, NULL );
    }
    ok( src.slots[0] && src.slots[1] && !src.deleted, "the source changed.\n" );

    /* a move deletes what was copied; the missing third entry makes it partial */
    free_folder( &dest );
    memset( dest.slots, 0, sizeof(dest.slots) );
    list.cValues = 3;
    hr = IMAPISupport_CopyMessages( support, &IID_IMAPIFolder, &src.IMAPIFolder_iface, &list,
                                    &IID_IMAPIFolder, &dest.IMAPIFolder_iface, 0, NULL, MESSAGE_MOVE );
    ok( hr == MAPI_W_PARTIAL_COMPLETION, "CopyMessages returned %#lx.\n", hr );
    ok( dest.slots[0] && dest.slots[1] && !dest.slots[2], "got %p, %p, %p.\n",
        dest.slots[0], dest.slots[1], dest.slots[2] );
    ok( !src.slots[0] && !src.slots[1] && src.deleted == 2, "%u deleted.\n", src.deleted );

    free_folder( &src );
    free_folder( &dest );
}

static IMessage *create_test_message( const char *subject )
{
    IPropData *props = create_props( 0, subject, NULL );
    IMessage *message = create_message( NULL, props, 0 );

    IPropData_Release( props );
    return message;
}

static void add_recipient( IMessage *message, const char *name )
{
    SPropValue value;
    ADRLIST list;
    HRESULT hr;

    value.ulPropTag = PR_DISPLAY_NAME_A;
    value.Value.lpszA = (char *)name;
    list.cEntries = 1;
    list.aEntries[0].ulReserved1 = 0;
    list.aEntries[0].cValues = 1;
    list.aEntries[0].rgPropVals = &value;
    hr = IMessage_ModifyRecipients( message, 2 /* MODRECIP_ADD */, &list );
    ok( hr == S_OK, "ModifyRecipients returned %#lx.\n", hr );
}

static ULONG recipient_count( IMessage *message )
{
    IMAPITable *table;
    ULONG count = ~0u;
    HRESULT hr;

    hr = IMessage_GetRecipientTable( message, 0, &table );
    ok( hr == S_OK, "GetRecipientTable returned %#lx.\n", hr );
    if (hr != S_OK) return count;
    IMAPITable_GetRowCount( table, 0, &count );
    IMAPITable_Release( table );
    return count;
}

/* DoCopyTo and DoCopyProps copy a message's recipients and attachments unless told not to */
static void test_message_children( IMAPISupport *support )
{
    SizedSPropTagArray(2, children) = { 2, { PR_MESSAGE_RECIPIENTS, PR_MESSAGE_ATTACHMENTS } };
    SizedSPropTagArray(1, attachments) = { 1, { PR_MESSAGE_ATTACHMENTS } };
    SizedSPropTagArray(1, recipients) = { 1, { PR_MESSAGE_RECIPIENTS } };
    struct mock_message *copy;
    IMessage *src, *dest;
    SPropValue value;
    IAttach *attach;
    ULONG num;
    HRESULT hr;

    src = create_test_message( "subject" );
    add_recipient( src, "first" );
    add_recipient( src, "second" );
    hr = IMessage_CreateAttach( src, NULL, 0, &num, &attach );
    ok( hr == S_OK, "CreateAttach returned %#lx.\n", hr );
    value.ulPropTag = PR_ATTACH_FILENAME_A;
    value.Value.lpszA = (char *)"a.txt";
    IAttach_SetProps( attach, 1, &value, NULL );
    IAttach_Release( attach );

    dest = create_test_message( NULL );
    add_recipient( dest, "old" );
    hr = IMAPISupport_DoCopyTo( support, &IID_IMessage, src, 0, NULL, NULL, 0, NULL, &IID_IMessage, dest, 0, NULL );
    ok( hr == S_OK, "DoCopyTo returned %#lx.\n", hr );
    copy = impl_from_IMessage( dest );
    /* the recipients replace the old ones */
    ok( recipient_count( dest ) == 2, "got %lu recipients.\n", recipient_count( dest ) );
    ok( copy->attach_count == 1, "got %lu attachments.\n", copy->attach_count );
    if (copy->attach_count) check_prop( copy->attachments[0], PR_ATTACH_FILENAME_A, 0, "a.txt" );
    check_prop( copy->props, PR_SUBJECT_A, 0, "subject" );
    IMessage_Release( dest );

    dest = create_test_message( NULL );
    hr = IMAPISupport_DoCopyTo( support, &IID_IMessage, src, 0, NULL, (SPropTagArray *)&children, 0, NULL,
                                &IID_IMessage, dest, 0, NULL );
    ok( hr == S_OK, "DoCopyTo returned %#lx.\n", hr );
    ok( !recipient_count( dest ), "got %lu recipients.\n", recipient_count( dest ) );
    ok( !impl_from_IMessage( dest )->attach_count, "got attachments.\n" );
    check_prop( impl_from_IMessage( dest )->props, PR_SUBJECT_A, 0, "subject" );
    IMessage_Release( dest );

    dest = create_test_message( NULL );
    hr = IMAPISupport_DoCopyProps( support, &IID_IMessage, src, (SPropTagArray *)&attachments, 0, NULL,
                                   &IID_IMessage, dest, 0, NULL );
    ok( hr == S_OK, "DoCopyProps returned %#lx.\n", hr );
    ok( !recipient_count( dest ), "got %lu recipients.\n", recipient_count( dest ) );
    copy = impl_from_IMessage( dest );
    ok( copy->attach_count == 1, "got %lu attachments.\n", copy->attach_count );
    if (copy->attach_count) check_prop( copy->attachments[0], PR_ATTACH_FILENAME_A, 0, "a.txt" );
    check_prop( copy->props, PR_SUBJECT_A, 0, NULL );
    IMessage_Release( dest );

    dest = create_test_message( NULL );
    hr = IMAPISupport_DoCopyProps( support, &IID_IMessage, src, (SPropTagArray *)&recipients, 0, NULL,
                                   &IID_IMessage, dest, 0, NULL );
    ok( hr == S_OK, "DoCopyProps returned %#lx.\n", hr );
    ok( recipient_count( dest ) == 2, "got %lu recipients.\n", recipient_count( dest ) );
    ok( !impl_from_IMessage( dest )->attach_count, "got attachments.\n" );
    IMessage_Release( dest );
    IMessage_Release( src );
}

#define check_folder_name(a, b) check_folder_name_(__LINE__, a, b)
static void check_folder_name_( unsigned int line, struct mock_folder *folder, const WCHAR *name )
{
    SizedSPropTagArray(1, tags) = { 1, { PR_DISPLAY_NAME_W } };
    SPropValue *value = NULL;
    ULONG count;
    HRESULT hr;

    ok_(__FILE__, line)( folder != NULL, "no folder.\n" );
    if (!folder) return;
    hr = IPropData_GetProps( folder->props, (SPropTagArray *)&tags, 0, &count, &value );
    ok_(__FILE__, line)( hr == S_OK && value->ulPropTag == PR_DISPLAY_NAME_W && !wcscmp( value->Value.lpszW, name ),
                         "got hr %#lx, name %s.\n", hr, hr == S_OK ? wine_dbgstr_w( value->Value.lpszW ) : "" );
    pMAPIFreeBuffer( value );
}

static unsigned int message_count( struct mock_folder *folder )
{
    unsigned int i, count = 0;

    for (i = 0; i < MOCK_SLOTS; i++) if (folder->slots[i]) count++;
    return count;
}

/* IMAPISupport::CopyFolder: the folder, its properties, messages and, as asked, subfolders */
static void test_CopyFolder( IMAPISupport *support )
{
    struct mock_folder parent = { { &folder_vtbl } }, dest = { { &folder_vtbl } };
    struct mock_folder *folder, *copy;
    BYTE entry[5] = { 0, 0, 0, 0, MOCK_FOLDER }, missing[5] = { 0, 0, 0, 0, MOCK_FOLDER + 3 };
    SPropValue values[2];
    HRESULT hr;

    parent.children[0] = folder = create_folder( L"A" );
    values[0].ulPropTag = PR_COMMENT_A;
    values[0].Value.lpszA = (char *)"comment";
    /* computed by the store: not copied */
    values[1].ulPropTag = PR_CONTENT_COUNT;
    values[1].Value.l = 2;
    IPropData_SetProps( folder->props, 2, values, NULL );
    folder->slots[0] = create_props( 1, "first", NULL );
    folder->slots[2] = create_props( 2, "second", NULL );
    folder->children[1] = create_folder( L"B" );
    folder->children[1]->slots[0] = create_props( 3, "third", NULL );

    hr = IMAPISupport_CopyFolder( support, &IID_IMAPIFolder, &parent.IMAPIFolder_iface, 0, NULL, NULL,
                                  &dest.IMAPIFolder_iface, NULL, 0, NULL, 0 );
    ok( hr == MAPI_E_INVALID_PARAMETER, "CopyFolder returned %#lx.\n", hr );
    hr = IMAPISupport_CopyFolder( support, &IID_IMAPIFolder, &parent.IMAPIFolder_iface, 5, (ENTRYID *)entry, NULL,
                                  &dest.IMAPIFolder_iface, NULL, 0, NULL, 0x100 );
    ok( hr == MAPI_E_UNKNOWN_FLAGS, "CopyFolder returned %#lx.\n", hr );
    hr = IMAPISupport_CopyFolder( support, &IID_IMessage, &parent.IMAPIFolder_iface, 5, (ENTRYID *)entry, NULL,
                                  &dest.IMAPIFolder_iface, NULL, 0, NULL, 0 );
    ok( hr == MAPI_E_INTERFACE_NOT_SUPPORTED, "CopyFolder returned %#lx.\n", hr );
    hr = IMAPISupport_CopyFolder( support, &IID_IMAPIFolder, &parent.IMAPIFolder_iface, 5, (ENTRYID *)entry, NULL,
                                  &dest.IMAPIFolder_iface, NULL, 0, NULL, MAPI_DECLINE_OK );
    ok( hr == MAPI_E_DECLINE_COPY, "CopyFolder returned %#lx.\n", hr );
    hr = IMAPISupport_CopyFolder( support, &IID_IMAPIFolder, &parent.IMAPIFolder_iface, 5, (ENTRYID *)missing,
                                  NULL, &dest.IMAPIFolder_iface, NULL, 0, NULL, 0 );
    ok( hr == MAPI_E_NOT_FOUND, "CopyFolder returned %#lx.\n", hr );
    ok( !dest.children[0], "a folder was created.\n" );

    /* the source's name; no subfolders */
    hr = IMAPISupport_CopyFolder( support, &IID_IMAPIFolder, &parent.IMAPIFolder_iface, 5, (ENTRYID *)entry, NULL,
                                  &dest.IMAPIFolder_iface, NULL, 0, NULL, 0 );
    ok( hr == S_OK, "CopyFolder returned %#lx.\n", hr );
    copy = dest.children[0];
    check_folder_name( copy, L"A" );
    if (copy)
    {
        check_prop( copy->props, PR_COMMENT_A, 0, "comment" );
        check_prop( copy->props, PR_CONTENT_COUNT, 0, NULL );
        ok( message_count( copy ) == 2, "got %u messages.\n", message_count( copy ) );
        ok( !copy->children[0] && !copy->children[1], "subfolders were copied.\n" );
    }
    ok( parent.children[0] == folder && message_count( folder ) == 2, "the source changed.\n" );

    /* the destination's CreateFolder fails on the same name */
    hr = IMAPISupport_CopyFolder( support, &IID_IMAPIFolder, &parent.IMAPIFolder_iface, 5, (ENTRYID *)entry, NULL,
                                  &dest.IMAPIFolder_iface, NULL, 0, NULL, 0 );
    ok( hr == MAPI_E_COLLISION, "CopyFolder returned %#lx.\n", hr );

    /* an ANSI new name, with the subfolders */
    hr = IMAPISupport_CopyFolder( support, &IID_IMAPIFolder, &parent.IMAPIFolder_iface, 5, (ENTRYID *)entry, NULL,
                                  &dest.IMAPIFolder_iface, (WCHAR *)"Copy", 0, NULL, COPY_SUBFOLDERS );
    ok( hr == S_OK, "CopyFolder returned %#lx.\n", hr );
    copy = dest.children[1];
    check_folder_name( copy, L"Copy" );
    if (copy)
    {
        ok( message_count( copy ) == 2, "got %u messages.\n", message_count( copy ) );
        check_folder_name( copy->children[0], L"B" );
        if (copy->children[0])
            ok( message_count( copy->children[0] ) == 1, "got %u messages.\n", message_count( copy->children[0] ) );
    }

    /* a move takes the subfolders and deletes the source */
    hr = IMAPISupport_CopyFolder( support, &IID_IMAPIFolder, &parent.IMAPIFolder_iface, 5, (ENTRYID *)entry,
                                  &IID_IMAPIFolder, &dest.IMAPIFolder_iface, (WCHAR *)L"Moved", 0, NULL,
                                  FOLDER_MOVE | MAPI_UNICODE );
    ok( hr == S_OK, "CopyFolder returned %#lx.\n", hr );
    copy = dest.children[2];
    check_folder_name( copy, L"Moved" );
    if (copy)
    {
        ok( message_count( copy ) == 2, "got %u messages.\n", message_count( copy ) );
        check_folder_name( copy->children[0], L"B" );
    }
    ok( !parent.children[0], "the source is still there.\n" );
    ok( parent.delete_flags == (DEL_FOLDERS | DEL_MESSAGES), "got flags %#lx.\n", parent.delete_flags );

    free_folder( &parent );
    free_folder( &dest );
}

/* IMAPISupport::OpenEntry goes to the store whose provider registered the entry's UID. */
static void test_OpenEntry( IMAPISupport *support )
{
    BYTE data[FIELD_OFFSET(ENTRYID, ab) + 24];
    ENTRYID *entry = (ENTRYID *)data;
    IUnknown *unk;
    ULONG type;
    HRESULT hr;

    memset( data, 0, sizeof(data) );
    /* the mock's UID for the first logon of the process */
    memset( entry->ab, 0x5a, 16 );
    entry->ab[15] = 1;

    hr = IMAPISupport_OpenEntry( support, sizeof(data), entry, NULL, 0, NULL, &unk );
    ok( hr == MAPI_E_INVALID_PARAMETER, "OpenEntry returned %#lx.\n", hr );
    hr = IMAPISupport_OpenEntry( support, sizeof(data), NULL, NULL, 0, &type, &unk );
    ok( hr == MAPI_E_INVALID_PARAMETER, "OpenEntry returned %#lx.\n", hr );
    hr = IMAPISupport_OpenEntry( support, 8, entry, NULL, 0, &type, &unk );
    ok( hr == MAPI_E_INVALID_ENTRYID, "OpenEntry returned %#lx.\n", hr );

    pmockprov_reset_log();
    hr = IMAPISupport_OpenEntry( support, sizeof(data), entry, NULL, 0, &type, &unk );
    /* the mock store finds nothing, but the call reached its IMSLogon */
    ok( hr == MAPI_E_NOT_FOUND, "OpenEntry returned %#lx.\n", hr );
    ok( strstr( pmockprov_get_log(), "OpenEntry(28)" ) != NULL, "got log %s.\n", pmockprov_get_log() );

    entry->ab[15] = 0x77;
    pmockprov_reset_log();
    hr = IMAPISupport_OpenEntry( support, sizeof(data), entry, NULL, 0, &type, &unk );
    ok( hr == MAPI_E_UNKNOWN_ENTRYID, "OpenEntry returned %#lx.\n", hr );
    ok( !strstr( pmockprov_get_log(), "OpenEntry" ), "got log %s.\n", pmockprov_get_log() );
}

/* IMAPISupport::IStorageFromStream: a compound file inside a stream */
static void test_IStorageFromStream( IMAPISupport *support )
{
    static const WCHAR name[] = L"data";
    IStorage *storage;
    IStream *stream, *sub;
    LARGE_INTEGER pos;
    ULARGE_INTEGER size;
    char buffer[16];
    ULONG count;
    HRESULT hr;

    hr = CreateStreamOnHGlobal( NULL, TRUE, &stream );
    ok( hr == S_OK, "CreateStreamOnHGlobal returned %#lx.\n", hr );
    if (hr != S_OK) return;

    hr = IMAPISupport_IStorageFromStream( support, NULL, NULL, 0, &storage );
    ok( hr == MAPI_E_INVALID_PARAMETER, "IStorageFromStream returned %#lx.\n", hr );
    /* an empty stream holds no storage to open */
    hr = IMAPISupport_IStorageFromStream( support, (IUnknown *)stream, NULL, 0, &storage );
    ok( FAILED(hr), "IStorageFromStream returned %#lx.\n", hr );

    /* the storage starts after 100 bytes the stream already has */
    memset( buffer, 'x', sizeof(buffer) );
    for (count = 0; count < 100; count += 10) IStream_Write( stream, buffer, 10, NULL );
    hr = IMAPISupport_IStorageFromStream( support, (IUnknown *)stream, &IID_IStream,
                                          STGSTRM_CREATE | STGSTRM_MODIFY | STGSTRM_CURRENT, &storage );
    ok( hr == S_OK, "IStorageFromStream returned %#lx.\n", hr );
    if (hr != S_OK)
    {
        IStream_Release( stream );
        return;
    }
    hr = IStorage_CreateStream( storage, name, STGM_CREATE | STGM_READWRITE | STGM_SHARE_EXCLUSIVE, 0, 0, &sub );
    ok( hr == S_OK, "CreateStream returned %#lx.\n", hr );
    hr = IStream_Write( sub, "hello", 6, &count );
    ok( hr == S_OK && count == 6, "Write returned %#lx, %lu.\n", hr, count );
    IStream_Release( sub );
    hr = IStorage_Commit( storage, STGC_DEFAULT );
    ok( hr == S_OK, "Commit returned %#lx.\n", hr );
    IStorage_Release( storage );

    pos.QuadPart = 0;
    IStream_Seek( stream, pos, STREAM_SEEK_END, &size );
    ok( size.QuadPart > 100 + 512, "stream has %I64u bytes.\n", size.QuadPart );
    pos.QuadPart = 0;
    IStream_Seek( stream, pos, STREAM_SEEK_SET, NULL );
    IStream_Read( stream, buffer, 10, &count );
    ok( count == 10 && buffer[0] == 'x' && buffer[9] == 'x', "the bytes before the storage changed.\n" );

    /* read back from where the storage begins */
    pos.QuadPart = 100;
    IStream_Seek( stream, pos, STREAM_SEEK_SET, NULL );
    hr = IMAPISupport_IStorageFromStream( support, (IUnknown *)stream, NULL, STGSTRM_CURRENT, &storage );
    ok( hr == S_OK, "IStorageFromStream returned %#lx.\n", hr );
    if (hr == S_OK)
    {
        hr = IStorage_OpenStream( storage, name, NULL, STGM_READ | STGM_SHARE_EXCLUSIVE, 0, &sub );
        ok( hr == S_OK, "OpenStream returned %#lx.\n", hr );
        if (hr == S_OK)
        {
            memset( buffer, 0, sizeof(buffer) );
            hr = IStream_Read( sub, buffer, sizeof(buffer), &count );
            ok( hr == S_OK && count == 6 && !strcmp( buffer, "hello" ), "read %#lx, %lu, %s.\n", hr, count, buffer );
            IStream_Release( sub );
        }
        IStorage_Release( storage );
    }
    /* STGSTRM_RESET reads from the start, where there is no storage */
    hr = IMAPISupport_IStorageFromStream( support, (IUnknown *)stream, NULL, STGSTRM_RESET, &storage );
    ok( FAILED(hr), "IStorageFromStream returned %#lx.\n", hr );
    IStream_Release( stream );
}

START_TEST(copy)
{
    IMAPISupport *support;

    if (!load_winemapix() || !extract_provider()) return;
    if (!install_inf()) return;

    if ((support = open_support()))
    {
        test_DoCopyTo( support );
        test_DoCopyProps( support );
        test_CopyMessages( support );
        test_message_children( support );
        test_CopyFolder( support );
        test_OpenEntry( support );
        test_IStorageFromStream( support );
    }
    close_support();

    restore_inf();
    FreeLibrary( mockprov );
    DeleteFileA( provider_path );
}
