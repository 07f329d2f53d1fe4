/*
 * winepst's message service entry point, called as MAPI calls it
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
 * MAPI's side here is a configuration support object with only the methods
 * R5.12 gives it, and an IProviderAdmin over in-memory profile sections:
 * one store provider section (as mapisvc.inf's provider section fills it)
 * and one transport section the service must leave alone.
 */

#include <stdarg.h>

#include "windef.h"
#include "winbase.h"

#include "winepst_test.h"

#define PR_PST_REMEMBER_PW     PROP_TAG(PT_BOOLEAN, 0x6701)
#define PR_PST_ENCRYPTION      PROP_TAG(PT_LONG, 0x6702)
#define PSTF_NO_ENCRYPTION            0x80000000
#define PSTF_COMPRESSABLE_ENCRYPTION  0x40000000
#define PSTF_BEST_ENCRYPTION          0x20000000
#define PR_PST_PW_SZ_OLD       PROP_TAG(PT_STRING8, 0x6703)
#define PR_PST_PW_SZ_OLD_W     PROP_TAG(PT_UNICODE, 0x6703)
#define PR_PST_PW_SZ_NEW       PROP_TAG(PT_STRING8, 0x6704)
#define PR_PST_PW_SZ_NEW_W     PROP_TAG(PT_UNICODE, 0x6704)

static MSGSERVICEENTRY *pServiceEntry;

/* pstsdk_sample1.pst's store record key (PR_RECORD_KEY of its message store, read with pypff) */
static const BYTE sample1_record_key[16] =
    { 0x6a, 0x55, 0x2b, 0x81, 0x3c, 0x43, 0xf9, 0x43, 0x84, 0xf1, 0x8b, 0x7d, 0xa2, 0x39, 0x3e, 0x95 };
/* MAPI's wrapper UID at offset 4 of every wrapped store entry ID */
static const BYTE store_wrap_uid[16] =
    { 0x38, 0xa1, 0xbb, 0x10, 0x05, 0xe5, 0x10, 0x1a, 0xa1, 0xbb, 0x08, 0x00, 0x2b, 0x2a, 0x56, 0xc2 };

/* ------------------------------------------------------------------ */
/* in-memory profile sections                                          */

#define MAX_SECTION_PROPS 16

struct section
{
    IProfSect IProfSect_iface;
    LONG refcount;
    MAPIUID uid;
    ULONG count;
    SPropValue props[MAX_SECTION_PROPS];   /* values malloc'ed */
    unsigned int saves;
};

static struct section sections[2];   /* [0] the store provider, [1] a transport */

static struct section *impl_from_section( IProfSect *iface )
{
    return CONTAINING_RECORD( iface, struct section, IProfSect_iface );
}

static SPropValue *section_find( struct section *section, ULONG tag )
{
    ULONG i;

    for (i = 0; i < section->count; i++)
        if (PROP_ID(section->props[i].ulPropTag) == PROP_ID(tag)) return &section->props[i];
    return NULL;
}

static void free_value( SPropValue *prop )
{
    switch (PROP_TYPE(prop->ulPropTag))
    {
    case PT_STRING8: free( prop->Value.lpszA ); break;
    case PT_UNICODE: free( prop->Value.lpszW ); break;
    case PT_BINARY: free( prop->Value.bin.lpb ); break;
    }
}

static void section_set( struct section *section, const SPropValue *value )
{
    SPropValue *prop = section_find( section, value->ulPropTag );
    size_t size;

    if (!prop)
    {
        ok( section->count < MAX_SECTION_PROPS, "too many properties.\n" );
        if (section->count >= MAX_SECTION_PROPS) return;
        prop = &section->props[section->count++];
    }
    else free_value( prop );
    *prop = *value;
    switch (PROP_TYPE(value->ulPropTag))
    {
    case PT_STRING8:
        prop->Value.lpszA = strdup( value->Value.lpszA );
        break;
    case PT_UNICODE:
        prop->Value.lpszW = wcsdup( value->Value.lpszW );
        break;
    case PT_BINARY:
        size = value->Value.bin.cb;
        prop->Value.bin.lpb = malloc( size + 1 );
        memcpy( prop->Value.bin.lpb, value->Value.bin.lpb, size );
        break;
    }
}

static void section_reset( struct section *section, ULONG type )
{
    SPropValue prop;
    ULONG i;

    for (i = 0; i < section->count; i++) free_value( &section->props[i] );
    section->count = 0;
    section->saves = 0;
    /* what CreateMsgService copies from the provider's mapisvc.inf section */
    prop.ulPropTag = PR_PROVIDER_DLL_NAME_A;
    prop.Value.lpszA = (char *)"winepst.dll";
    section_set( section, &prop );
    prop.ulPropTag = PR_RESOURCE_TYPE;
    prop.Value.l = type;
    section_set( section, &prop );
    prop.ulPropTag = PR_DISPLAY_NAME_A;
    prop.Value.lpszA = (char *)"Personal Folders";
    section_set( section, &prop );
}

static HRESULT WINAPI section_QueryInterface( IProfSect *iface, REFIID riid, void **out )
{
    ok( 0, "unexpected QueryInterface %s.\n", wine_dbgstr_guid(riid) );
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI section_AddRef( IProfSect *iface )
{
    return InterlockedIncrement( &impl_from_section( iface )->refcount );
}

static ULONG WINAPI section_Release( IProfSect *iface )
{
    return InterlockedDecrement( &impl_from_section( iface )->refcount );
}

static HRESULT WINAPI section_SaveChanges( IProfSect *iface, ULONG flags )
{
    impl_from_section( iface )->saves++;
    return S_OK;
}

static HRESULT WINAPI section_GetProps( IProfSect *iface, SPropTagArray *tags, ULONG flags, ULONG *count,
                                        SPropValue **props )
{
    struct section *section = impl_from_section( iface );
    SPropValue *values = NULL, *prop;
    ULONG i, size;

    ok( tags != NULL, "the service asked for every property.\n" );
    test_allocate_buffer( tags->cValues * sizeof(SPropValue), (void **)&values );
    for (i = 0; i < tags->cValues; i++)
    {
        prop = section_find( section, tags->aulPropTag[i] );
        if (!prop || prop->ulPropTag != tags->aulPropTag[i])
        {
            values[i].ulPropTag = PROP_TAG(PT_ERROR, PROP_ID(tags->aulPropTag[i]));
            values[i].Value.err = MAPI_E_NOT_FOUND;
            continue;
        }
        values[i] = *prop;
        switch (PROP_TYPE(prop->ulPropTag))
        {
        case PT_STRING8:
            test_allocate_more( strlen( prop->Value.lpszA ) + 1, values, (void **)&values[i].Value.lpszA );
            strcpy( values[i].Value.lpszA, prop->Value.lpszA );
            break;
        case PT_UNICODE:
            test_allocate_more( (wcslen( prop->Value.lpszW ) + 1) * sizeof(WCHAR), values,
                                (void **)&values[i].Value.lpszW );
            wcscpy( values[i].Value.lpszW, prop->Value.lpszW );
            break;
        case PT_BINARY:
            size = prop->Value.bin.cb;
            test_allocate_more( size + 1, values, (void **)&values[i].Value.bin.lpb );
            memcpy( values[i].Value.bin.lpb, prop->Value.bin.lpb, size );
            break;
        }
    }
    *count = tags->cValues;
    *props = values;
    return S_OK;
}

static HRESULT WINAPI section_SetProps( IProfSect *iface, ULONG count, SPropValue *props,
                                        SPropProblemArray **problems )
{
    struct section *section = impl_from_section( iface );
    ULONG i;

    for (i = 0; i < count; i++) section_set( section, &props[i] );
    if (problems) *problems = NULL;
    return S_OK;
}

static void WINAPI unexpected_call( void *iface )
{
    ok( 0, "unexpected call on %p.\n", iface );
}

static IProfSectVtbl section_vtbl;
static IMAPISupportVtbl cfg_support_vtbl;
static IMAPITableVtbl table_vtbl;

/* every slot a test object does not implement fails the test */
static void fill_vtbl( void *vtbl, size_t size )
{
    void **slots = vtbl;
    size_t i;

    for (i = 0; i < size / sizeof(void *); i++) slots[i] = unexpected_call;
}

/* ------------------------------------------------------------------ */
/* the provider table                                                  */

struct table
{
    IMAPITable IMAPITable_iface;
    LONG refcount;
    BOOL read;
};

static struct table *impl_from_table( IMAPITable *iface )
{
    return CONTAINING_RECORD( iface, struct table, IMAPITable_iface );
}

static ULONG WINAPI table_Release( IMAPITable *iface )
{
    struct table *table = impl_from_table( iface );
    ULONG refcount = InterlockedDecrement( &table->refcount );

    if (!refcount) free( table );
    return refcount;
}

static HRESULT WINAPI table_QueryRows( IMAPITable *iface, LONG count, ULONG flags, SRowSet **rows )
{
    struct table *table = impl_from_table( iface );
    SRowSet *set = NULL;
    ULONG i, n = table->read ? 0 : ARRAY_SIZE(sections);

    ok( count > 0, "row count %ld.\n", count );
    test_allocate_buffer( FIELD_OFFSET(SRowSet, aRow[2]), (void **)&set );
    set->cRows = n;
    for (i = 0; i < n; i++)
    {
        SPropValue *props = NULL;

        test_allocate_buffer( 2 * sizeof(*props), (void **)&props );
        props[0].ulPropTag = PR_PROVIDER_UID;
        test_allocate_more( sizeof(MAPIUID), props, (void **)&props[0].Value.bin.lpb );
        props[0].Value.bin.cb = sizeof(MAPIUID);
        memcpy( props[0].Value.bin.lpb, &sections[i].uid, sizeof(MAPIUID) );
        props[1] = *section_find( &sections[i], PR_RESOURCE_TYPE );
        set->aRow[i].cValues = 2;
        set->aRow[i].lpProps = props;
    }
    table->read = TRUE;
    *rows = set;
    return S_OK;
}

/* ------------------------------------------------------------------ */
/* IProviderAdmin                                                      */

static LONG admin_refcount;
static unsigned int admin_tables;

static HRESULT WINAPI admin_QueryInterface( IProviderAdmin *iface, REFIID riid, void **out )
{
    ok( 0, "unexpected QueryInterface %s.\n", wine_dbgstr_guid(riid) );
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI admin_AddRef( IProviderAdmin *iface )
{
    return InterlockedIncrement( &admin_refcount );
}

static ULONG WINAPI admin_Release( IProviderAdmin *iface )
{
    return InterlockedDecrement( &admin_refcount );
}

static HRESULT WINAPI admin_GetLastError( IProviderAdmin *iface, HRESULT hr, ULONG flags, MAPIERROR **error )
{
    ok( 0, "unexpected GetLastError.\n" );
    return E_NOTIMPL;
}

static HRESULT WINAPI admin_GetProviderTable( IProviderAdmin *iface, ULONG flags, IMAPITable **out )
{
    struct table *table = calloc( 1, sizeof(*table) );

    admin_tables++;
    table->IMAPITable_iface.lpVtbl = &table_vtbl;
    table->refcount = 1;
    *out = &table->IMAPITable_iface;
    return S_OK;
}

static HRESULT WINAPI admin_CreateProvider( IProviderAdmin *iface, WCHAR *name, ULONG count, SPropValue *props,
                                            ULONG_PTR ui_param, ULONG flags, MAPIUID *uid )
{
    ok( 0, "unexpected CreateProvider.\n" );
    return E_NOTIMPL;
}

static HRESULT WINAPI admin_DeleteProvider( IProviderAdmin *iface, MAPIUID *uid )
{
    ok( 0, "unexpected DeleteProvider.\n" );
    return E_NOTIMPL;
}

static HRESULT WINAPI admin_OpenProfileSection( IProviderAdmin *iface, MAPIUID *uid, const IID *iid, ULONG flags,
                                                IProfSect **out )
{
    unsigned int i;

    ok( uid != NULL, "no section UID.\n" );
    for (i = 0; i < ARRAY_SIZE(sections); i++)
    {
        if (memcmp( uid, &sections[i].uid, sizeof(*uid) )) continue;
        ok( i == 0, "the service opened the transport's section.\n" );
        IProfSect_AddRef( &sections[i].IProfSect_iface );
        *out = &sections[i].IProfSect_iface;
        return S_OK;
    }
    return MAPI_E_NOT_FOUND;
}

static const IProviderAdminVtbl admin_vtbl =
{
    admin_QueryInterface,
    admin_AddRef,
    admin_Release,
    admin_GetLastError,
    admin_GetProviderTable,
    admin_CreateProvider,
    admin_DeleteProvider,
    admin_OpenProfileSection,
};

static IProviderAdmin provider_admin = { &admin_vtbl };

/* ------------------------------------------------------------------ */
/* the configuration support object (R5.12)                            */

static LONG cfg_refcount;

static ULONG WINAPI cfg_AddRef( IMAPISupport *iface )
{
    return InterlockedIncrement( &cfg_refcount );
}

static ULONG WINAPI cfg_Release( IMAPISupport *iface )
{
    return InterlockedDecrement( &cfg_refcount );
}

static HRESULT WINAPI cfg_GetMemAllocRoutines( IMAPISupport *iface, ALLOCATEBUFFER **allocate_buffer,
                                               ALLOCATEMORE **allocate_more, FREEBUFFER **free_buffer )
{
    *allocate_buffer = test_allocate_buffer;
    *allocate_more = test_allocate_more;
    *free_buffer = test_free_buffer;
    return S_OK;
}

static HRESULT WINAPI cfg_OpenProfileSection( IMAPISupport *iface, MAPIUID *uid, ULONG flags, IProfSect **out )
{
    return admin_OpenProfileSection( &provider_admin, uid, NULL, flags, out );
}

static HRESULT WINAPI cfg_NewUID( IMAPISupport *iface, MAPIUID *uid )
{
    memset( uid, 0x55, sizeof(*uid) );
    return S_OK;
}

static IMAPISupport cfg_support = { &cfg_support_vtbl };

static void init_objects(void)
{
    unsigned int i;

    fill_vtbl( &section_vtbl, sizeof(section_vtbl) );
    section_vtbl.QueryInterface = section_QueryInterface;
    section_vtbl.AddRef = section_AddRef;
    section_vtbl.Release = section_Release;
    section_vtbl.SaveChanges = section_SaveChanges;
    section_vtbl.GetProps = section_GetProps;
    section_vtbl.SetProps = section_SetProps;

    fill_vtbl( &table_vtbl, sizeof(table_vtbl) );
    table_vtbl.Release = table_Release;
    table_vtbl.QueryRows = table_QueryRows;

    fill_vtbl( &cfg_support_vtbl, sizeof(cfg_support_vtbl) );
    cfg_support_vtbl.AddRef = cfg_AddRef;
    cfg_support_vtbl.Release = cfg_Release;
    cfg_support_vtbl.GetMemAllocRoutines = cfg_GetMemAllocRoutines;
    cfg_support_vtbl.OpenProfileSection = cfg_OpenProfileSection;
    cfg_support_vtbl.NewUID = cfg_NewUID;

    for (i = 0; i < ARRAY_SIZE(sections); i++)
    {
        sections[i].IProfSect_iface.lpVtbl = &section_vtbl;
        memset( &sections[i].uid, 0x10 + i, sizeof(sections[i].uid) );
    }
}

static void reset_sections(void)
{
    section_reset( &sections[0], MAPI_STORE_PROVIDER );
    section_reset( &sections[1], MAPI_TRANSPORT_PROVIDER );
}

/* Calls the entry point as MAPI does and checks that it kept nothing. */
#define call_entry(a,b,c,d,e) call_entry_( __LINE__, a, b, c, d, e )
static HRESULT call_entry_( unsigned int line, ULONG flags, ULONG context, ULONG count, SPropValue *props,
                            MAPIERROR **error )
{
    LONG blocks = live_blocks;
    HRESULT hr;

    if (error) *error = (MAPIERROR *)0xdeadbeef;
    hr = pServiceEntry( GetModuleHandleA( "winepst.dll" ), &test_malloc, &cfg_support, 0, flags, context,
                        count, props, &provider_admin, error );
    ok_( __FILE__, line )( cfg_refcount == 0, "support object count %ld.\n", cfg_refcount );
    ok_( __FILE__, line )( admin_refcount == 0, "provider admin count %ld.\n", admin_refcount );
    ok_( __FILE__, line )( sections[0].refcount == 0 && sections[1].refcount == 0, "sections still held.\n" );
    ok_( __FILE__, line )( malloc_refcount == 0, "IMalloc count %ld.\n", malloc_refcount );
    if (error && FAILED(hr))
    {
        ok_( __FILE__, line )( *error != NULL && *error != (MAPIERROR *)0xdeadbeef, "no MAPIERROR for %#lx.\n", hr );
        /* the MAPIERROR and its two strings */
        ok_( __FILE__, line )( live_blocks == blocks + 3, "%ld buffers leaked.\n", live_blocks - blocks - 3 );
    }
    else
    {
        if (error) ok_( __FILE__, line )( !*error, "MAPIERROR %p on success.\n", *error );
        ok_( __FILE__, line )( live_blocks == blocks, "%ld buffers leaked.\n", live_blocks - blocks );
    }
    return hr;
}

static void free_error( MAPIERROR *error )
{
    if (error && error != (MAPIERROR *)0xdeadbeef) test_free_buffer( error );
}

static const WCHAR *section_string( ULONG tag )
{
    SPropValue *prop = section_find( &sections[0], tag );
    return prop && prop->ulPropTag == tag ? prop->Value.lpszW : NULL;
}

static void test_simple_contexts(void)
{
    MAPIERROR *error;
    SPropValue prop;
    HRESULT hr;

    reset_sections();
    hr = call_entry( 0, MSG_SERVICE_INSTALL, 0, NULL, &error );
    ok( hr == S_OK, "INSTALL returned %#lx.\n", hr );
    hr = call_entry( MAPI_UNICODE, MSG_SERVICE_UNINSTALL, 0, NULL, &error );
    ok( hr == S_OK, "UNINSTALL returned %#lx.\n", hr );
    hr = call_entry( 0, MSG_SERVICE_DELETE, 0, NULL, &error );
    ok( hr == S_OK, "DELETE returned %#lx.\n", hr );
    hr = call_entry( 0, MSG_SERVICE_PROVIDER_CREATE, 0, NULL, &error );
    ok( hr == MAPI_E_NO_SUPPORT, "PROVIDER_CREATE returned %#lx.\n", hr );
    free_error( error );
    hr = call_entry( 0, MSG_SERVICE_PROVIDER_DELETE, 0, NULL, NULL );
    ok( hr == MAPI_E_NO_SUPPORT, "PROVIDER_DELETE returned %#lx.\n", hr );
    ok( sections[0].count == 3 && !sections[0].saves, "the section changed.\n" );

    /* created without UI and without properties: configured later */
    hr = call_entry( 0, MSG_SERVICE_CREATE, 0, NULL, &error );
    ok( hr == S_OK, "CREATE returned %#lx.\n", hr );
    ok( !section_string( PR_PST_PATH_W ), "a path was written.\n" );
    hr = call_entry( MAPI_UNICODE, MSG_SERVICE_CREATE, 0, NULL, &error );
    ok( hr == S_OK, "CREATE returned %#lx.\n", hr );

    /* bad input */
    hr = pServiceEntry( GetModuleHandleA( "winepst.dll" ), &test_malloc, NULL, 0, 0, MSG_SERVICE_CONFIGURE,
                        0, NULL, &provider_admin, NULL );
    ok( hr == MAPI_E_INVALID_PARAMETER, "no support object gave %#lx.\n", hr );
    hr = call_entry( 0, MSG_SERVICE_CONFIGURE, 1, NULL, NULL );
    ok( hr == MAPI_E_INVALID_PARAMETER, "no property array gave %#lx.\n", hr );
    hr = call_entry( 0x100, MSG_SERVICE_CONFIGURE, 0, NULL, NULL );
    ok( hr == MAPI_E_UNKNOWN_FLAGS, "unknown flags gave %#lx.\n", hr );
    hr = pServiceEntry( GetModuleHandleA( "winepst.dll" ), &test_malloc, &cfg_support, 0, 0,
                        MSG_SERVICE_CONFIGURE, 0, NULL, NULL, NULL );
    ok( hr == MAPI_E_INVALID_PARAMETER, "no provider admin gave %#lx.\n", hr );
    prop.ulPropTag = PR_PST_ENCRYPTION;
    prop.Value.l = 0x12345678;
    hr = call_entry( 0, MSG_SERVICE_CONFIGURE, 1, &prop, &error );
    ok( hr == MAPI_E_INVALID_PARAMETER, "bad encryption gave %#lx.\n", hr );
    free_error( error );
    ok( !section_find( &sections[0], PR_PST_ENCRYPTION ), "the bad value was written.\n" );
}

static void test_no_ui(void)
{
    WCHAR path[MAX_PATH];
    MAPIERROR *error;
    SPropValue prop;
    HRESULT hr;

    reset_sections();
    /* nothing configured and nothing given */
    hr = call_entry( 0, MSG_SERVICE_CONFIGURE, 0, NULL, &error );
    ok( hr == MAPI_E_UNCONFIGURED, "got %#lx.\n", hr );
    ok( error && error->lpszError && strstr( (char *)error->lpszError, "configured" ),
        "ANSI error text %s.\n", error ? debugstr_a( (char *)error->lpszError ) : "" );
    free_error( error );
    hr = call_entry( MAPI_UNICODE, MSG_SERVICE_CONFIGURE, 0, NULL, &error );
    ok( hr == MAPI_E_UNCONFIGURED, "got %#lx.\n", hr );
    ok( error && error->lpszError && wcsstr( (WCHAR *)error->lpszError, L"configured" ),
        "Unicode error text %s.\n", error ? debugstr_w( (WCHAR *)error->lpszError ) : "" );
    free_error( error );

    /* the dialog that would be shown is treated as dismissed */
    hr = call_entry( SERVICE_UI_ALLOWED, MSG_SERVICE_CONFIGURE, 0, NULL, &error );
    ok( hr == MAPI_E_USER_CANCEL, "UI_ALLOWED without a file gave %#lx.\n", hr );
    free_error( error );
    hr = call_entry( SERVICE_UI_ALLOWED | MAPI_UNICODE, MSG_SERVICE_CREATE, 0, NULL, &error );
    ok( hr == MAPI_E_USER_CANCEL, "CREATE with UI_ALLOWED gave %#lx.\n", hr );
    free_error( error );

    ok( copy_sample( "pstsdk_sample1.pst", path ), "no sample.\n" );
    prop.ulPropTag = PR_PST_PATH_W;
    prop.Value.lpszW = path;
    hr = call_entry( SERVICE_UI_ALWAYS | MAPI_UNICODE, MSG_SERVICE_CONFIGURE, 1, &prop, &error );
    ok( hr == MAPI_E_USER_CANCEL, "UI_ALWAYS gave %#lx.\n", hr );
    free_error( error );
    ok( !section_string( PR_PST_PATH_W ), "UI_ALWAYS wrote the path.\n" );

    /* a usable configuration needs no dialog */
    hr = call_entry( SERVICE_UI_ALLOWED | MAPI_UNICODE, MSG_SERVICE_CONFIGURE, 1, &prop, &error );
    ok( hr == S_OK, "UI_ALLOWED with a file gave %#lx.\n", hr );
    ok( section_string( PR_PST_PATH_W ) && !wcsicmp( section_string( PR_PST_PATH_W ), path ), "path %s.\n",
        debugstr_w(section_string( PR_PST_PATH_W )) );
    /* and once configured, UI_ALLOWED with nothing new keeps it */
    hr = call_entry( SERVICE_UI_ALLOWED, MSG_SERVICE_CONFIGURE, 0, NULL, &error );
    ok( hr == S_OK, "reconfiguring gave %#lx.\n", hr );
    DeleteFileW( path );
}

/* bCryptMethod of a Unicode file's header, or -1 */
static int crypt_method( const WCHAR *path )
{
    BYTE header[514];
    DWORD read = 0;
    HANDLE file;

    file = CreateFileW( path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL );
    if (file == INVALID_HANDLE_VALUE) return -1;
    ReadFile( file, header, sizeof(header), &read, NULL );
    CloseHandle( file );
    return read == sizeof(header) ? header[513] : -1;
}

static void test_bad_files(void)
{
    WCHAR path[MAX_PATH], temp[MAX_PATH];
    SPropValue prop, props2[2];
    MAPIERROR *error;
    DWORD written;
    HANDLE file;
    HRESULT hr;

    reset_sections();
    GetTempPathW( ARRAY_SIZE(temp), temp );
    GetTempFileNameW( temp, L"pst", 0, path );
    DeleteFileW( path );

    /* a file that does not exist is created, by default with Outlook's
     * compressible encryption (bCryptMethod 1 at offset 513) */
    prop.ulPropTag = PR_PST_PATH_W;
    prop.Value.lpszW = path;
    hr = call_entry( MAPI_UNICODE, MSG_SERVICE_CONFIGURE, 1, &prop, &error );
    ok( hr == S_OK, "a new file gave %#lx.\n", hr );
    free_error( error );
    ok( section_string( PR_PST_PATH_W ) && !wcsicmp( section_string( PR_PST_PATH_W ), path ), "path %s.\n",
        debugstr_w(section_string( PR_PST_PATH_W )) );
    ok( crypt_method( path ) == 1, "crypt method %d.\n", crypt_method( path ) );
    DeleteFileW( path );
    reset_sections();

    /* PSTF_NO_ENCRYPTION writes plain blocks */
    props2[0] = prop;
    props2[1].ulPropTag = PR_PST_ENCRYPTION;
    props2[1].Value.l = PSTF_NO_ENCRYPTION;
    hr = call_entry( MAPI_UNICODE, MSG_SERVICE_CONFIGURE, 2, props2, &error );
    ok( hr == S_OK, "a new plain file gave %#lx.\n", hr );
    free_error( error );
    ok( crypt_method( path ) == 0, "crypt method %d.\n", crypt_method( path ) );
    DeleteFileW( path );
    reset_sections();

    /* the engine cannot write cyclic ("high") encryption: refused, no file */
    props2[1].Value.l = PSTF_BEST_ENCRYPTION;
    hr = call_entry( MAPI_UNICODE, MSG_SERVICE_CONFIGURE, 2, props2, &error );
    ok( hr == MAPI_E_NO_SUPPORT, "high encryption gave %#lx.\n", hr );
    free_error( error );
    ok( GetFileAttributesW( path ) == INVALID_FILE_ATTRIBUTES, "a file was created.\n" );
    ok( !section_string( PR_PST_PATH_W ), "a path was written.\n" );

    /* a file that is no PST */
    file = CreateFileW( path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL );
    WriteFile( file, "[Services]\r\nnot a PST at all, but long enough to read a header from it\r\n", 72,
               &written, NULL );
    CloseHandle( file );
    hr = call_entry( MAPI_UNICODE, MSG_SERVICE_CONFIGURE, 1, &prop, &error );
    ok( hr == MAPI_E_CORRUPT_STORE, "a text file gave %#lx.\n", hr );
    free_error( error );
    ok( !section_string( PR_PST_PATH_W ), "a path was written.\n" );

    /* an empty one */
    file = CreateFileW( path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL );
    CloseHandle( file );
    hr = call_entry( 0, MSG_SERVICE_CONFIGURE, 1, &prop, &error );
    ok( hr == MAPI_E_CORRUPT_STORE || hr == MAPI_E_DISK_ERROR, "an empty file gave %#lx.\n", hr );
    free_error( error );
    DeleteFileW( path );
}

/* What a logon through the configured entry ID sees. */
static void check_logon( const SBinary *wrapped )
{
    static const SizedSPropTagArray(1, tags) = { 1, { PR_RECORD_KEY } };
    struct support support;
    const BYTE *data = wrapped->lpb;
    IMSProvider *provider;
    IMsgStore *store;
    IMSLogon *ms_logon;
    SPropValue *props;
    ULONG offset, count, zero = 0;
    HRESULT hr;

    /* the MAPI wrapping around our own ID */
    ok( wrapped->cb > 40, "wrapped ID of %lu bytes.\n", wrapped->cb );
    ok( !memcmp( data, "\0\0\0\0", 4 ), "flags %02x%02x%02x%02x.\n", data[0], data[1], data[2], data[3] );
    ok( !memcmp( data + 4, store_wrap_uid, 16 ), "not MAPI's store wrapper UID.\n" );
    ok( !data[20] && !data[21], "version %u, flag %u.\n", data[20], data[21] );
    ok( !strcmp( (const char *)data + 22, "winepst.dll" ), "DLL name %s.\n", debugstr_a((const char *)data + 22) );
    offset = (22 + sizeof("winepst.dll") + 3) & ~3;

    provider = create_provider();
    init_support( &support );
    hr = logon( provider, &support, wrapped->cb - offset, (ENTRYID *)(data + offset), &ms_logon, &store );
    ok( hr == S_OK, "logon with the configured entry ID gave %#lx.\n", hr );
    if (FAILED(hr))
    {
        IMSProvider_Release( provider );
        return;
    }
    hr = IMsgStore_GetProps( store, (SPropTagArray *)&tags, 0, &count, &props );
    ok( hr == S_OK, "GetProps returned %#lx.\n", hr );
    ok( props[0].ulPropTag == PR_RECORD_KEY && props[0].Value.bin.cb == 16
        && !memcmp( props[0].Value.bin.lpb, sample1_record_key, 16 ), "wrong store record key.\n" );
    test_free_buffer( props );
    IMsgStore_Release( store );
    IMSProvider_Shutdown( provider, &zero );
    IMSProvider_Release( provider );
    /* what the provider's logon does is provider.c's tests' business */
    call_log[0] = 0;
    ok( !IMSLogon_Release( ms_logon ), "the IMSLogon is still referenced.\n" );
}

static void test_configure(void)
{
    WCHAR path[MAX_PATH], temp[MAX_PATH], *name;
    SPropValue props[4], *prop;
    char path_a[MAX_PATH];
    MAPIERROR *error;
    HRESULT hr;

    reset_sections();
    ok( copy_sample( "pstsdk_sample1.pst", path ), "no sample.\n" );

    /* the way programs configure Outlook's PST service */
    props[0].ulPropTag = PR_PST_PATH_W;
    props[0].Value.lpszW = path;
    props[1].ulPropTag = PR_DISPLAY_NAME_W;
    props[1].Value.lpszW = (WCHAR *)L"My archive";
    props[2].ulPropTag = PR_PST_ENCRYPTION;
    props[2].Value.l = PSTF_COMPRESSABLE_ENCRYPTION;
    props[3].ulPropTag = PR_PST_REMEMBER_PW;
    props[3].Value.b = TRUE;
    hr = call_entry( MAPI_UNICODE, MSG_SERVICE_CONFIGURE, 4, props, &error );
    ok( hr == S_OK, "CONFIGURE returned %#lx.\n", hr );
    ok( sections[0].saves >= 1, "changes not saved.\n" );
    ok( sections[1].count == 3, "the transport's section changed.\n" );
    ok( section_string( PR_PST_PATH_W ) && !wcsicmp( section_string( PR_PST_PATH_W ), path ), "path %s.\n",
        debugstr_w(section_string( PR_PST_PATH_W )) );
    ok( section_string( PR_DISPLAY_NAME_W ) && !wcscmp( section_string( PR_DISPLAY_NAME_W ), L"My archive" ),
        "display name %s.\n", debugstr_w(section_string( PR_DISPLAY_NAME_W )) );
    prop = section_find( &sections[0], PR_PST_ENCRYPTION );
    ok( prop && prop->Value.l == PSTF_COMPRESSABLE_ENCRYPTION, "encryption not recorded.\n" );
    prop = section_find( &sections[0], PR_PST_REMEMBER_PW );
    ok( prop && prop->ulPropTag == PR_PST_REMEMBER_PW && prop->Value.b, "remember-password not recorded.\n" );
    prop = section_find( &sections[0], PR_RECORD_KEY );
    ok( prop && prop->Value.bin.cb == 16 && !memcmp( prop->Value.bin.lpb, sample1_record_key, 16 ),
        "PR_RECORD_KEY is not the store's record key.\n" );
    prop = section_find( &sections[0], PR_MDB_PROVIDER );
    ok( prop && prop->ulPropTag == PR_MDB_PROVIDER && prop->Value.bin.cb == 16, "no PR_MDB_PROVIDER.\n" );
    prop = section_find( &sections[0], PR_ENTRYID );
    ok( prop && prop->ulPropTag == PR_ENTRYID, "no PR_ENTRYID.\n" );
    if (prop) check_logon( &prop->Value.bin );

    /* a display name alone keeps the file */
    props[0].ulPropTag = PR_DISPLAY_NAME_A;
    props[0].Value.lpszA = (char *)"Renamed";
    hr = call_entry( 0, MSG_SERVICE_CONFIGURE, 1, props, &error );
    ok( hr == S_OK, "renaming returned %#lx.\n", hr );
    ok( section_string( PR_DISPLAY_NAME_W ) && !wcscmp( section_string( PR_DISPLAY_NAME_W ), L"Renamed" ),
        "display name %s.\n", debugstr_w(section_string( PR_DISPLAY_NAME_W )) );
    ok( section_string( PR_PST_PATH_W ) && !wcsicmp( section_string( PR_PST_PATH_W ), path ), "path lost.\n" );

    /* ANSI properties, and a path relative to the current directory */
    reset_sections();
    GetTempPathW( ARRAY_SIZE(temp), temp );
    SetCurrentDirectoryW( temp );
    name = wcsrchr( path, '\\' ) + 1;
    WideCharToMultiByte( CP_ACP, 0, name, -1, path_a, sizeof(path_a), NULL, NULL );
    props[0].ulPropTag = PR_PST_PATH;
    props[0].Value.lpszA = path_a;
    props[1].ulPropTag = PR_DISPLAY_NAME_A;
    props[1].Value.lpszA = (char *)"ANSI";
    hr = call_entry( 0, MSG_SERVICE_CONFIGURE, 2, props, &error );
    ok( hr == S_OK, "ANSI CONFIGURE returned %#lx.\n", hr );
    ok( section_string( PR_PST_PATH_W ) && !wcsicmp( section_string( PR_PST_PATH_W ), path ),
        "path %s, expected the full path %s.\n", debugstr_w(section_string( PR_PST_PATH_W )), debugstr_w(path) );
    ok( section_string( PR_DISPLAY_NAME_W ) && !wcscmp( section_string( PR_DISPLAY_NAME_W ), L"ANSI" ),
        "display name %s.\n", debugstr_w(section_string( PR_DISPLAY_NAME_W )) );

    /* properties given at creation are recorded too */
    reset_sections();
    props[0].ulPropTag = PR_PST_PATH_W;
    props[0].Value.lpszW = path;
    hr = call_entry( MAPI_UNICODE, MSG_SERVICE_CREATE, 1, props, &error );
    ok( hr == S_OK, "CREATE with a path returned %#lx.\n", hr );
    ok( section_string( PR_PST_PATH_W ) && !wcsicmp( section_string( PR_PST_PATH_W ), path ), "path not recorded.\n" );

    DeleteFileW( path );
}

/* A logon to PATH with the password the profile gives, as store.c reads it */
static HRESULT logon_with_password( const WCHAR *path, const WCHAR *password )
{
    struct support support;
    IMSProvider *provider;
    IMsgStore *store;
    IMSLogon *ms_logon;
    ULONG zero = 0;
    HRESULT hr;

    wcscpy( profile.path, path );
    wcscpy( profile.password, password ? password : L"" );
    profile.password_ansi = FALSE;
    provider = create_provider();
    init_support( &support );
    hr = logon( provider, &support, 0, NULL, &ms_logon, &store );
    if (SUCCEEDED(hr))
    {
        IMsgStore_Release( store );
        IMSProvider_Shutdown( provider, &zero );
        IMSLogon_Release( ms_logon );
    }
    IMSProvider_Release( provider );
    profile.password[0] = 0;
    profile.path[0] = 0;
    call_log[0] = 0;
    return hr;
}

/* mspst.h: PR_PST_PW_SZ_OLD opens an existing file (from the property array
 * only), PR_PST_PW_SZ_NEW is the password from then on, and the creation
 * of a file takes PR_PST_PW_SZ_NEW as its first password.  pstsdk's
 * test_unicode.pst has the password "test" (SOURCES.md; pffinfo shows its
 * checksum 0xf93ba110). */
static void test_passwords(void)
{
    WCHAR path[MAX_PATH], temp[MAX_PATH];
    const WCHAR *remembered;
    SPropValue props[4];
    MAPIERROR *error;
    HRESULT hr;

    if (!copy_sample( "pstsdk_test_unicode.pst", path ))
    {
        skip( "pstsdk_test_unicode.pst is not available.\n" );
        return;
    }
    reset_sections();
    ok( logon_with_password( path, L"test" ) == S_OK, "the sample does not open with its password.\n" );

    /* a wrong or missing old password changes nothing */
    props[0].ulPropTag = PR_PST_PATH_W;
    props[0].Value.lpszW = path;
    props[1].ulPropTag = PR_PST_PW_SZ_OLD_W;
    props[1].Value.lpszW = (WCHAR *)L"wrong";
    props[2].ulPropTag = PR_PST_PW_SZ_NEW_W;
    props[2].Value.lpszW = (WCHAR *)L"s3cret";
    hr = call_entry( MAPI_UNICODE, MSG_SERVICE_CONFIGURE, 3, props, &error );
    ok( hr == MAPI_E_LOGON_FAILED, "a wrong old password gave %#lx.\n", hr );
    free_error( error );
    props[1] = props[2];
    hr = call_entry( MAPI_UNICODE, MSG_SERVICE_CONFIGURE, 2, props, &error );
    ok( hr == MAPI_E_LOGON_FAILED, "no old password gave %#lx.\n", hr );
    free_error( error );
    props[1].ulPropTag = PR_PST_PW_SZ_OLD_W;
    props[1].Value.lpszW = (WCHAR *)L"TEST";
    hr = call_entry( MAPI_UNICODE, MSG_SERVICE_CONFIGURE, 2, props, &error );
    ok( hr == MAPI_E_LOGON_FAILED, "a wrong old password alone gave %#lx.\n", hr );
    free_error( error );
    ok( !section_find( &sections[0], PR_PST_PATH_W ), "a failed configuration was recorded.\n" );
    ok( logon_with_password( path, L"test" ) == S_OK, "the password changed.\n" );

    /* the right one: the new password, remembered in the profile */
    props[1].Value.lpszW = (WCHAR *)L"test";
    props[2].ulPropTag = PR_PST_PW_SZ_NEW_W;
    props[2].Value.lpszW = (WCHAR *)L"s3cret";
    props[3].ulPropTag = PR_PST_REMEMBER_PW;
    props[3].Value.b = TRUE;
    hr = call_entry( MAPI_UNICODE, MSG_SERVICE_CONFIGURE, 4, props, NULL );
    ok( hr == S_OK, "changing the password returned %#lx.\n", hr );
    remembered = section_string( PR_PST_PW_SZ_OLD_W );
    ok( remembered && !wcscmp( remembered, L"s3cret" ), "remembered %s.\n", debugstr_w(remembered) );
    ok( logon_with_password( path, L"test" ) == MAPI_E_FAILONEPROVIDER, "the old password still works.\n" );
    ok( logon_with_password( path, L"s3cret" ) == S_OK, "the new password does not work.\n" );

    /* no path: the configured file; ANSI; an empty new password removes it,
     * and the profile, which remembers, follows */
    props[0].ulPropTag = PR_PST_PW_SZ_OLD;
    props[0].Value.lpszA = (char *)"s3cret";
    props[1].ulPropTag = PR_PST_PW_SZ_NEW;
    props[1].Value.lpszA = (char *)"";
    hr = call_entry( 0, MSG_SERVICE_CONFIGURE, 2, props, NULL );
    ok( hr == S_OK, "removing the password returned %#lx.\n", hr );
    remembered = section_string( PR_PST_PW_SZ_OLD_W );
    ok( remembered && !remembered[0], "remembered %s.\n", debugstr_w(remembered) );
    ok( logon_with_password( path, NULL ) == S_OK, "the file still needs a password.\n" );
    DeleteFileW( path );

    /* a new file gets PR_PST_PW_SZ_NEW; not remembered unless asked */
    reset_sections();
    GetTempPathW( ARRAY_SIZE(temp), temp );
    GetTempFileNameW( temp, L"pst", 0, path );
    DeleteFileW( path );
    props[0].ulPropTag = PR_PST_PATH_W;
    props[0].Value.lpszW = path;
    props[1].ulPropTag = PR_PST_PW_SZ_NEW_W;
    props[1].Value.lpszW = (WCHAR *)L"test";
    hr = call_entry( MAPI_UNICODE, MSG_SERVICE_CONFIGURE, 2, props, NULL );
    ok( hr == S_OK, "creating with a password returned %#lx.\n", hr );
    ok( !section_find( &sections[0], PR_PST_PW_SZ_OLD_W ), "the password was remembered.\n" );
    ok( logon_with_password( path, NULL ) == MAPI_E_FAILONEPROVIDER, "the new file has no password.\n" );
    ok( logon_with_password( path, L"test" ) == S_OK, "the new file does not take its password.\n" );
    DeleteFileW( path );
}

/* ------------------------------------------------------------------ */
/* registration in mapisvc.inf                                         */

static HRESULT (WINAPI *pDllRegisterServer)(void);
static HRESULT (WINAPI *pDllUnregisterServer)(void);

static void system_path( const WCHAR *name, WCHAR *path )
{
    GetSystemDirectoryW( path, MAX_PATH );
    wcscat( path, L"\\" );
    wcscat( path, name );
}

/* mapisvc.inf's bytes, NUL-terminated; -1 when there is no file */
static int read_inf( char *data, DWORD size )
{
    WCHAR path[MAX_PATH];
    DWORD read = 0;
    HANDLE file;

    system_path( L"mapisvc.inf", path );
    file = CreateFileW( path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL );
    if (file == INVALID_HANDLE_VALUE) return -1;
    ReadFile( file, data, size - 1, &read, NULL );
    CloseHandle( file );
    data[read] = 0;
    return read;
}

static void write_inf( const char *data, int size )
{
    WCHAR path[MAX_PATH];
    DWORD written;
    HANDLE file;

    system_path( L"mapisvc.inf", path );
    if (size < 0)
    {
        DeleteFileW( path );
        return;
    }
    file = CreateFileW( path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL );
    WriteFile( file, data, size, &written, NULL );
    CloseHandle( file );
}

static unsigned int count_str( const char *data, const char *str )
{
    unsigned int count = 0;

    while ((data = strstr( data, str )))
    {
        count++;
        data += strlen( str );
    }
    return count;
}

/* Registers over ORIGINAL, then unregisters: ORIGINAL must come back byte for byte. */
#define check_roundtrip(a,b) check_roundtrip_( __LINE__, a, b )
static void check_roundtrip_( unsigned int line, const char *original, char *merged )
{
    static char data[65536];
    HRESULT hr;
    int size;

    write_inf( original, original ? strlen( original ) : -1 );
    hr = pDllRegisterServer();
    ok_( __FILE__, line )( hr == S_OK, "DllRegisterServer returned %#lx.\n", hr );
    size = read_inf( merged, 65536 );
    ok_( __FILE__, line )( size > 0, "no mapisvc.inf after registration.\n" );
    /* registering again changes nothing */
    hr = pDllRegisterServer();
    ok_( __FILE__, line )( hr == S_OK, "DllRegisterServer returned %#lx.\n", hr );
    ok_( __FILE__, line )( read_inf( data, sizeof(data) ) == size && !strcmp( data, merged ),
                           "a second registration changed the file.\n" );

    hr = pDllUnregisterServer();
    ok_( __FILE__, line )( hr == S_OK, "DllUnregisterServer returned %#lx.\n", hr );
    size = read_inf( data, sizeof(data) );
    if (original)
        ok_( __FILE__, line )( size == strlen( original ) && !strcmp( data, original ),
                               "unregistration left %s.\n", debugstr_a(data) );
    else ok_( __FILE__, line )( size == -1, "unregistration left a file of %d bytes.\n", size );
}

static void test_registration(void)
{
    static const char unix_file[] =
        "; my services\n[Services]\nFOO=Foo service\n\n[FOO]\nPR_SERVICE_DLL_NAME=foo.dll\nPR_DISPLAY_NAME=Foo";
    static const char outlook_file[] =
        "[Services]\r\nMSUPST MS=Outlook's PST\r\n\r\n[MSUPST MS]\r\nPR_SERVICE_DLL_NAME=mspst.dll\r\n"
        "Providers=MSUPST MSP\r\n\r\n[MSUPST MSP]\r\nPR_PROVIDER_DLL_NAME=mspst.dll\r\n";
    static const char no_services[] = "[Default Services]\r\nAB=Address book\r\n";
    static char original[65536], merged[65536];
    const char *p;
    int size;

    size = read_inf( original, sizeof(original) );
    ok( size > 0, "the runner's registration wrote no mapisvc.inf.\n" );

    check_roundtrip( unix_file, merged );
    ok( !strncmp( merged, "; my services\n[Services]\n", 25 ), "the start changed: %s.\n", debugstr_a(merged) );
    p = strstr( merged, "\nMSUPST MS=" );
    ok( p && p < strstr( merged, "\nFOO=" ), "MSUPST MS is not in [Services].\n" );
    ok( strstr( merged, "\nMSPST MS=" ) != NULL, "MSPST MS is not in [Services].\n" );
    ok( strstr( merged, "PR_DISPLAY_NAME=Foo\n" ) != NULL, "the last line was not ended.\n" );
    ok( !strchr( merged, '\r' ), "new lines do not follow the file's line breaks.\n" );
    ok( count_str( merged, "PR_SERVICE_DLL_NAME=winepst.dll\n" ) == 2, "two service sections expected.\n" );
    ok( count_str( merged, "PR_PROVIDER_DLL_NAME=winepst.dll\n" ) == 2, "two provider sections expected.\n" );
    ok( count_str( merged, "PR_SERVICE_ENTRY_NAME=ServiceEntry\n" ) == 2, "no entry point names.\n" );
    ok( count_str( merged, "PR_RESOURCE_TYPE=MAPI_STORE_PROVIDER\n" ) == 2, "no resource types.\n" );
    /* the provider UID winepst puts in its entry IDs */
    ok( count_str( merged, "PR_MDB_PROVIDER=" ) == 2, "no PR_MDB_PROVIDER.\n" );

    /* a product that registered the service already keeps it */
    check_roundtrip( outlook_file, merged );
    ok( count_str( merged, "[MSUPST MS]" ) == 1 && count_str( merged, "MSUPST MS=" ) == 1,
        "Outlook's service was duplicated: %s.\n", debugstr_a(merged) );
    ok( !strstr( merged, "[MSUPST MS]\r\nPR_SERVICE_DLL_NAME=winepst" ), "Outlook's service was replaced.\n" );
    ok( strstr( merged, "\r\nMSPST MS=" ) != NULL && strstr( merged, "[MSPST MS]\r\n" ) != NULL,
        "MSPST MS was not added.\n" );

    check_roundtrip( no_services, merged );
    ok( strstr( merged, "\r\n[Services]\r\nMSUPST MS=" ) != NULL, "no [Services] was added: %s.\n",
        debugstr_a(merged) );

    /* no file at all: registration creates it, unregistration removes it */
    check_roundtrip( NULL, merged );
    ok( strstr( merged, "[Services]\r\n" ) != NULL, "no [Services] in a new file.\n" );

    /* back to the runner's registration */
    write_inf( original, size );
    ok( pDllRegisterServer() == S_OK, "DllRegisterServer failed.\n" );
    ok( read_inf( merged, sizeof(merged) ) == size && !strcmp( merged, original ),
        "registering over the runner's registration changed the file.\n" );
}

START_TEST(service)
{
    HMODULE module;

    if (!init_winepst()) return;
    module = GetModuleHandleA( "winepst.dll" );
    pServiceEntry = (void *)GetProcAddress( module, "ServiceEntry" );
    ok( pServiceEntry != NULL, "no ServiceEntry export.\n" );
    if (!pServiceEntry) return;
    ok( GetProcAddress( module, "DllRegisterServer" ) && GetProcAddress( module, "DllUnregisterServer" ),
        "no registration exports.\n" );
    pDllRegisterServer = (void *)GetProcAddress( module, "DllRegisterServer" );
    pDllUnregisterServer = (void *)GetProcAddress( module, "DllUnregisterServer" );
    init_objects();
    check_log( "" );

    test_simple_contexts();
    test_no_ui();
    test_bad_files();
    test_configure();
    test_passwords();
    if (pDllRegisterServer && pDllUnregisterServer) test_registration();
    ok( pDllCanUnloadNow() == S_OK, "DllCanUnloadNow says objects are alive.\n" );
}
