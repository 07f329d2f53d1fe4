/*
 * Tests for the profile cache: profile sections read through MAPI follow
 * every change to the registry, whoever makes it
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
#include "winreg.h"
#include "mapidefs.h"
#include "mapicode.h"
#include "mapitags.h"
#include "mapix.h"
#include "mapispi.h"
#include "mapiadmin.h"

#include "wine/test.h"
#include "winemapix_test.h"

static const char profile_name[] = "winemapix profcache";
static const char profiles_key[] =
    "Software\\Microsoft\\Windows NT\\CurrentVersion\\Windows Messaging Subsystem\\Profiles";

/* sections the tests make; MAPI takes any UID for a section */
static MAPIUID uid1 = {{ 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
                          0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xf0, 0x01 }};
static MAPIUID uid2 = {{ 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
                          0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xf0, 0x02 }};

#define PR_TEST_BINARY PROP_TAG( PT_BINARY, 0x6610 )

static void section_path( const MAPIUID *uid, char *path )
{
    unsigned int i;
    char *p;

    p = path + sprintf( path, "%s\\%s\\", profiles_key, profile_name );
    for (i = 0; i < sizeof(uid->ab); i++) p += sprintf( p, "%02x", uid->ab[i] );
}

/* what another process would do: write the registry under MAPI's feet */
static void reg_set( const MAPIUID *uid, ULONG tag, const void *data, DWORD size )
{
    char path[512], name[9];
    HKEY key;
    LONG err;

    section_path( uid, path );
    err = RegCreateKeyExA( HKEY_CURRENT_USER, path, 0, NULL, 0, KEY_SET_VALUE, NULL, &key, NULL );
    ok( !err, "RegCreateKeyExA failed, error %ld.\n", err );
    if (err) return;
    sprintf( name, "%08lx", tag );
    err = RegSetValueExA( key, name, 0, REG_BINARY, data, size );
    ok( !err, "RegSetValueExA failed, error %ld.\n", err );
    RegCloseKey( key );
}

static void reg_delete( const MAPIUID *uid, ULONG tag )
{
    char path[512], name[9];
    HKEY key;
    LONG err;

    section_path( uid, path );
    err = RegOpenKeyExA( HKEY_CURRENT_USER, path, 0, KEY_SET_VALUE, &key );
    ok( !err, "RegOpenKeyExA failed, error %ld.\n", err );
    if (err) return;
    sprintf( name, "%08lx", tag );
    err = RegDeleteValueA( key, name );
    ok( !err, "RegDeleteValueA failed, error %ld.\n", err );
    RegCloseKey( key );
}

static BOOL reg_has( const MAPIUID *uid, ULONG tag )
{
    char path[512], name[9];
    HKEY key;
    LONG err;

    section_path( uid, path );
    if (RegOpenKeyExA( HKEY_CURRENT_USER, path, 0, KEY_QUERY_VALUE, &key )) return FALSE;
    sprintf( name, "%08lx", tag );
    err = RegQueryValueExA( key, name, NULL, NULL, NULL, NULL );
    RegCloseKey( key );
    return !err;
}

static IMAPISession *logon(void)
{
    IMAPISession *session = NULL;
    HRESULT hr;

    hr = pMAPILogonEx( 0, (char *)profile_name, NULL, MAPI_EXTENDED | MAPI_NEW_SESSION | MAPI_NO_MAIL, &session );
    ok( hr == S_OK, "MAPILogonEx returned %#lx.\n", hr );
    return session;
}

static void logoff( IMAPISession *session )
{
    HRESULT hr;

    if (!session) return;
    hr = IMAPISession_Logoff( session, 0, 0, 0 );
    ok( hr == S_OK, "Logoff returned %#lx.\n", hr );
    IMAPISession_Release( session );
}

static IProfSect *open_section( IMAPISession *session, MAPIUID *uid, ULONG flags, HRESULT expect )
{
    IProfSect *section = NULL;
    HRESULT hr;

    if (!session) return NULL;
    hr = IMAPISession_OpenProfileSection( session, uid, NULL, flags, &section );
    ok( hr == expect, "OpenProfileSection returned %#lx, expected %#lx.\n", hr, expect );
    return hr == S_OK ? section : NULL;
}

#define check_string(a, b, c) check_string_( __LINE__, a, b, c )
static void check_string_( int line, IProfSect *section, ULONG tag, const char *expect )
{
    SPropTagArray tags = { 1, { tag } };
    SPropValue *props = NULL;
    ULONG count;
    HRESULT hr;

    if (!section) return;
    hr = IProfSect_GetProps( section, &tags, 0, &count, &props );
    if (!expect)
    {
        ok_(__FILE__, line)( hr == MAPI_W_ERRORS_RETURNED, "GetProps returned %#lx.\n", hr );
        ok_(__FILE__, line)( props && PROP_TYPE(props[0].ulPropTag) == PT_ERROR, "got tag %#lx.\n",
                             props ? props[0].ulPropTag : 0 );
    }
    else
    {
        ok_(__FILE__, line)( hr == S_OK, "GetProps returned %#lx.\n", hr );
        ok_(__FILE__, line)( props && props[0].ulPropTag == tag, "got tag %#lx.\n", props ? props[0].ulPropTag : 0 );
        if (props && props[0].ulPropTag == tag)
            ok_(__FILE__, line)( !strcmp( props[0].Value.lpszA, expect ), "got %s, expected %s.\n",
                                 props[0].Value.lpszA, expect );
    }
    pMAPIFreeBuffer( props );
}

static void set_string( IProfSect *section, ULONG tag, const char *value )
{
    SPropValue prop;
    HRESULT hr;

    if (!section) return;
    prop.ulPropTag = tag;
    prop.Value.lpszA = (char *)value;
    hr = IProfSect_SetProps( section, 1, &prop, NULL );
    ok( hr == S_OK, "SetProps returned %#lx.\n", hr );
}

static BOOL make_profile(void)
{
    IProfAdmin *admin;
    HRESULT hr;

    hr = pMAPIAdminProfiles( 0, &admin );
    ok( hr == S_OK, "MAPIAdminProfiles returned %#lx.\n", hr );
    if (FAILED(hr)) return FALSE;
    IProfAdmin_DeleteProfile( admin, (WCHAR *)profile_name, 0 );
    hr = IProfAdmin_CreateProfile( admin, (WCHAR *)profile_name, NULL, 0, 0 );
    ok( hr == S_OK, "CreateProfile returned %#lx.\n", hr );
    IProfAdmin_Release( admin );
    return hr == S_OK;
}

static void delete_profile(void)
{
    IProfAdmin *admin;
    HRESULT hr;

    hr = pMAPIAdminProfiles( 0, &admin );
    ok( hr == S_OK, "MAPIAdminProfiles returned %#lx.\n", hr );
    if (FAILED(hr)) return;
    hr = IProfAdmin_DeleteProfile( admin, (WCHAR *)profile_name, 0 );
    ok( hr == S_OK, "DeleteProfile returned %#lx.\n", hr );
    IProfAdmin_Release( admin );
}

/* changes made to the registry directly, as another process would, show at the next read */
static void test_registry_changes(void)
{
    static const char second[] = "second", third[] = "third";
    SPropTagArray tags = { 1, { PR_TEST_BINARY } };
    IMAPISession *session;
    IProfSect *section;
    SPropValue *props;
    BYTE big[3000];
    ULONG count, i;
    HRESULT hr;

    if (!make_profile()) return;
    session = logon();
    section = open_section( session, &uid1, MAPI_MODIFY, S_OK );
    set_string( section, PR_DISPLAY_NAME_A, "first" );
    check_string( section, PR_DISPLAY_NAME_A, "first" );

    /* the same section object, no logon in between */
    reg_set( &uid1, PR_DISPLAY_NAME_A, second, sizeof(second) );
    check_string( section, PR_DISPLAY_NAME_A, "second" );
    if (section) IProfSect_Release( section );
    logoff( session );

    /* between two logons */
    reg_set( &uid1, PR_DISPLAY_NAME_A, third, sizeof(third) );
    session = logon();
    section = open_section( session, &uid1, 0, S_OK );
    check_string( section, PR_DISPLAY_NAME_A, "third" );

    reg_delete( &uid1, PR_DISPLAY_NAME_A );
    check_string( section, PR_DISPLAY_NAME_A, NULL );

    /* a value too big for one read */
    for (i = 0; i < sizeof(big); i++) big[i] = i * 7;
    reg_set( &uid1, PR_TEST_BINARY, big, sizeof(big) );
    props = NULL;
    hr = section ? IProfSect_GetProps( section, &tags, 0, &count, &props ) : E_FAIL;
    ok( hr == S_OK, "GetProps returned %#lx.\n", hr );
    if (hr == S_OK)
    {
        ok( props[0].ulPropTag == PR_TEST_BINARY, "got tag %#lx.\n", props[0].ulPropTag );
        ok( props[0].Value.bin.cb == sizeof(big), "got %lu bytes.\n", props[0].Value.bin.cb );
        ok( props[0].Value.bin.cb == sizeof(big) && !memcmp( props[0].Value.bin.lpb, big, sizeof(big) ),
            "wrong bytes.\n" );
        pMAPIFreeBuffer( props );
    }
    if (section) IProfSect_Release( section );

    /* a section that appears, and is not created by opening it read-only */
    open_section( session, &uid2, 0, MAPI_E_NOT_FOUND );
    reg_set( &uid2, PR_DISPLAY_NAME_A, second, sizeof(second) );
    section = open_section( session, &uid2, 0, S_OK );
    check_string( section, PR_DISPLAY_NAME_A, "second" );
    if (section) IProfSect_Release( section );
    logoff( session );
    delete_profile();
}

/* a section written through one session is read back through another, both open */
static void test_two_sessions(void)
{
    IMAPISession *session1, *session2;
    IProfSect *section1, *section2;

    if (!make_profile()) return;
    session1 = logon();
    session2 = logon();
    section1 = open_section( session1, &uid1, MAPI_MODIFY, S_OK );
    section2 = open_section( session2, &uid1, MAPI_MODIFY, S_OK );
    check_string( section2, PR_DISPLAY_NAME_A, NULL );
    set_string( section1, PR_DISPLAY_NAME_A, "from one" );
    check_string( section2, PR_DISPLAY_NAME_A, "from one" );
    set_string( section2, PR_DISPLAY_NAME_A, "from two" );
    check_string( section1, PR_DISPLAY_NAME_A, "from two" );
    if (section1) IProfSect_Release( section1 );
    if (section2) IProfSect_Release( section2 );
    logoff( session1 );

    /* and by the next logon */
    session1 = logon();
    section1 = open_section( session1, &uid1, 0, S_OK );
    check_string( section1, PR_DISPLAY_NAME_A, "from two" );
    if (section1) IProfSect_Release( section1 );
    logoff( session1 );
    logoff( session2 );
    delete_profile();
}

/* profiles deleted and made again through IProfAdmin, while sessions use them and between logons */
static void test_profile_admin(void)
{
    IMAPISession *session;
    IProfSect *section;
    SPropTagArray tags = { 1, { PR_DISPLAY_NAME_A } };
    SPropValue *props = NULL;
    ULONG count;
    HRESULT hr;

    if (!make_profile()) return;
    session = logon();
    section = open_section( session, &uid1, MAPI_MODIFY, S_OK );
    set_string( section, PR_DISPLAY_NAME_A, "old profile" );
    check_string( section, PR_DISPLAY_NAME_A, "old profile" );

    /* deleted under the session: its sections are gone with it */
    delete_profile();
    if (section)
    {
        hr = IProfSect_GetProps( section, &tags, 0, &count, &props );
        ok( hr == MAPI_E_NOT_FOUND, "GetProps returned %#lx.\n", hr );
        if (SUCCEEDED(hr)) pMAPIFreeBuffer( props );
        IProfSect_Release( section );
    }
    logoff( session );

    session = NULL;
    hr = pMAPILogonEx( 0, (char *)profile_name, NULL, MAPI_EXTENDED | MAPI_NEW_SESSION | MAPI_NO_MAIL, &session );
    ok( hr == MAPI_E_LOGON_FAILED, "MAPILogonEx returned %#lx.\n", hr );
    if (session) IMAPISession_Release( session );

    /* made again under the same name: nothing of the old one shows */
    if (!make_profile()) return;
    session = logon();
    open_section( session, &uid1, 0, MAPI_E_NOT_FOUND );
    logoff( session );
    delete_profile();
}

/* SetProps leaves the registry alone when it holds the same bytes already, but only then */
static void test_same_bytes(void)
{
    static const WCHAR nameW[] = L"name";
    IMAPISession *session;
    IProfSect *section;
    SPropValue prop;
    char path[512];
    HANDLE event;
    HRESULT hr;
    HKEY key;
    LONG err;

    if (!make_profile()) return;
    session = logon();
    section = open_section( session, &uid1, MAPI_MODIFY, S_OK );
    if (!section)
    {
        logoff( session );
        delete_profile();
        return;
    }
    prop.ulPropTag = PR_DISPLAY_NAME_W;
    prop.Value.lpszW = (WCHAR *)nameW;
    hr = IProfSect_SetProps( section, 1, &prop, NULL );
    ok( hr == S_OK, "SetProps returned %#lx.\n", hr );
    ok( reg_has( &uid1, PR_DISPLAY_NAME_W ), "no PR_DISPLAY_NAME_W value.\n" );
    ok( !reg_has( &uid1, PR_DISPLAY_NAME_A ), "PR_DISPLAY_NAME_A value.\n" );

    /* the same bytes under the other width are a change */
    set_string( section, PR_DISPLAY_NAME_A, "name" );
    ok( reg_has( &uid1, PR_DISPLAY_NAME_A ), "no PR_DISPLAY_NAME_A value.\n" );
    ok( !reg_has( &uid1, PR_DISPLAY_NAME_W ), "PR_DISPLAY_NAME_W value left.\n" );

    /* as is the other width left by someone else */
    reg_set( &uid1, PR_DISPLAY_NAME_W, nameW, sizeof(nameW) );
    set_string( section, PR_DISPLAY_NAME_A, "name" );
    ok( reg_has( &uid1, PR_DISPLAY_NAME_A ), "no PR_DISPLAY_NAME_A value.\n" );
    ok( !reg_has( &uid1, PR_DISPLAY_NAME_W ), "PR_DISPLAY_NAME_W value left.\n" );

    /* the same value again writes nothing: nobody watching the section wakes up */
    section_path( &uid1, path );
    err = RegOpenKeyExA( HKEY_CURRENT_USER, path, 0, KEY_NOTIFY, &key );
    ok( !err, "RegOpenKeyExA failed, error %ld.\n", err );
    event = CreateEventA( NULL, TRUE, FALSE, NULL );
    err = RegNotifyChangeKeyValue( key, FALSE, REG_NOTIFY_CHANGE_LAST_SET, event, TRUE );
    ok( !err, "RegNotifyChangeKeyValue failed, error %ld.\n", err );
    set_string( section, PR_DISPLAY_NAME_A, "name" );
    ok( WaitForSingleObject( event, 0 ) == WAIT_TIMEOUT, "the section was written.\n" );
    check_string( section, PR_DISPLAY_NAME_A, "name" );
    set_string( section, PR_DISPLAY_NAME_A, "other" );
    ok( !WaitForSingleObject( event, 0 ), "the section was not written.\n" );
    check_string( section, PR_DISPLAY_NAME_A, "other" );
    CloseHandle( event );
    RegCloseKey( key );

    IProfSect_Release( section );
    logoff( session );
    delete_profile();
}

/* more sections than one wait can watch: still read right, and still followed */
static void test_many_sections(void)
{
    IMAPISession *session;
    IProfSect *section;
    MAPIUID uid = uid2;
    char value[16];
    unsigned int i;

    if (!make_profile()) return;
    for (i = 0; i < 80; i++)
    {
        uid.ab[0] = i;
        sprintf( value, "section %u", i );
        reg_set( &uid, PR_DISPLAY_NAME_A, value, strlen( value ) + 1 );
    }
    session = logon();
    uid.ab[0] = 70;
    section = open_section( session, &uid, MAPI_MODIFY, S_OK );
    check_string( section, PR_DISPLAY_NAME_A, "section 70" );
    reg_set( &uid, PR_DISPLAY_NAME_A, "changed", sizeof("changed") );
    check_string( section, PR_DISPLAY_NAME_A, "changed" );
    set_string( section, PR_DISPLAY_NAME_A, "written" );
    check_string( section, PR_DISPLAY_NAME_A, "written" );
    if (section) IProfSect_Release( section );
    logoff( session );
    delete_profile();
}

/* the child: writes VALUE to uid1 through its own MAPI, or checks that it reads it */
static void child( const char *mode, const char *value )
{
    IMAPISession *session;
    IProfSect *section;
    HRESULT hr;

    hr = pMAPIInitialize( NULL );
    ok( hr == S_OK, "MAPIInitialize returned %#lx.\n", hr );
    session = logon();
    if (!strcmp( mode, "write" ))
    {
        section = open_section( session, &uid1, MAPI_MODIFY, S_OK );
        set_string( section, PR_DISPLAY_NAME_A, value );
    }
    else
    {
        section = open_section( session, &uid1, 0, S_OK );
        check_string( section, PR_DISPLAY_NAME_A, value );
    }
    if (section) IProfSect_Release( section );
    logoff( session );
    pMAPIUninitialize();
}

static void run_child( const char *mode, const char *value )
{
    PROCESS_INFORMATION info;
    STARTUPINFOA startup = { sizeof(startup) };
    char cmd[MAX_PATH * 2], **argv;
    BOOL ret;

    winetest_get_mainargs( &argv );
    sprintf( cmd, "\"%s\" profcache %s \"%s\"", argv[0], mode, value );
    ret = CreateProcessA( NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &startup, &info );
    ok( ret, "CreateProcessA failed, error %lu.\n", GetLastError() );
    if (!ret) return;
    wait_child_process( info.hProcess );
    CloseHandle( info.hProcess );
    CloseHandle( info.hThread );
}

/* another process with its own MAPI, each side keeping its cache warm meanwhile */
static void test_other_process(void)
{
    IMAPISession *session;
    IProfSect *section;

    if (!make_profile()) return;
    session = logon();
    section = open_section( session, &uid1, MAPI_MODIFY, S_OK );
    set_string( section, PR_DISPLAY_NAME_A, "parent" );
    check_string( section, PR_DISPLAY_NAME_A, "parent" );

    run_child( "write", "child" );
    check_string( section, PR_DISPLAY_NAME_A, "child" );
    if (section) IProfSect_Release( section );
    logoff( session );

    session = logon();
    section = open_section( session, &uid1, MAPI_MODIFY, S_OK );
    check_string( section, PR_DISPLAY_NAME_A, "child" );
    set_string( section, PR_DISPLAY_NAME_A, "parent again" );
    run_child( "check", "parent again" );
    if (section) IProfSect_Release( section );
    logoff( session );
    delete_profile();
}

START_TEST(profcache)
{
    char **argv;
    int argc;
    HRESULT hr;

    if (!load_winemapix()) return;
    argc = winetest_get_mainargs( &argv );
    if (argc >= 4)
    {
        child( argv[2], argv[3] );
        return;
    }

    hr = pMAPIInitialize( NULL );
    ok( hr == S_OK, "MAPIInitialize returned %#lx.\n", hr );
    test_registry_changes();
    test_two_sessions();
    test_profile_admin();
    test_same_bytes();
    test_many_sections();
    test_other_process();
    pMAPIUninitialize();
}
