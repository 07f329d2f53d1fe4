/*
 * Shared code of the winemapix tests that use a test mapisvc.inf
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
 * The services of the test mapisvc.inf, and helpers to write it into the
 * system directory for the duration of a test and to read what a profile
 * stored in the registry.  Included once by each test file that needs it.
 */

/* the test mapisvc.inf, written to the system directory for the duration of the tests */
static const char test_inf[] =
    "; winemapix test services\r\n"
    "[Services]\r\n"
    "WMXTEST=Winemapix Test Service\r\n"
    "WMXBAD=Broken Service\r\n"
    "WMXNODLL=Missing DLL Service\r\n"
    "\r\n"
    "[Default Services]\r\n"
    "WMXTEST=Winemapix Test Service\r\n"
    "\r\n"
    "[WMXTEST]\r\n"
    "PR_DISPLAY_NAME=Winemapix Test Service\r\n"
    "Providers=WMXTEST Store, WMXTEST AB\r\n"
    "  PR_RESOURCE_FLAGS = SERVICE_SINGLE_COPY|SERVICE_NO_PRIMARY_IDENTITY\r\n"
    "6600001e=C:\\some\\file.txt\r\n"
    ";6602001e=commented out\r\n"
    "66010003=07000000\r\n"
    "PR_SERVICE_SUPPORT_FILES=a.dll, b.dll\r\n"
    "\r\n"
    "[WMXTEST Store]\r\n"
    "PR_DISPLAY_NAME=Test Store\r\n"
    "PR_PROVIDER_DISPLAY=Winemapix Test Store\r\n"
    "PR_PROVIDER_DLL_NAME=wmxtest.dll\r\n"
    "PR_RESOURCE_TYPE=MAPI_STORE_PROVIDER\r\n"
    "PR_RESOURCE_FLAGS=STATUS_DEFAULT_STORE | STATUS_PRIMARY_STORE\r\n"
    "34140102=0102abcd\r\n"
    "\r\n"
    "[WMXTEST AB]\r\n"
    "PR_DISPLAY_NAME=Test AB\r\n"
    "PR_PROVIDER_DISPLAY=Winemapix Test AB\r\n"
    "PR_PROVIDER_DLL_NAME=wmxtest.dll\r\n"
    "PR_RESOURCE_TYPE=MAPI_AB_PROVIDER\r\n"
    "\r\n"
    "[WMXBAD]\r\n"
    "Providers=No Such Section\r\n"
    "\r\n"
    "[WMXNODLL]\r\n"
    "PR_SERVICE_DLL_NAME=wmxnodll.dll\r\n"
    "PR_SERVICE_ENTRY_NAME=ServiceEntry\r\n";

static char inf_path[MAX_PATH], backup_path[MAX_PATH];

static BOOL write_file( const char *path, const char *data )
{
    HANDLE file;
    DWORD written;
    BOOL ret;

    file = CreateFileA( path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL );
    if (file == INVALID_HANDLE_VALUE) return FALSE;
    ret = WriteFile( file, data, lstrlenA( data ), &written, NULL );
    CloseHandle( file );
    return ret;
}

/* puts the test mapisvc.inf in place, keeping any existing one aside */
static BOOL install_inf( const char *data )
{
    GetSystemDirectoryA( inf_path, MAX_PATH );
    lstrcatA( inf_path, "\\mapisvc.inf" );
    GetSystemDirectoryA( backup_path, MAX_PATH );
    lstrcatA( backup_path, "\\mapisvc.inf.winemapix-test" );
    if (GetFileAttributesA( backup_path ) == INVALID_FILE_ATTRIBUTES)
        MoveFileA( inf_path, backup_path );
    if (!data)
    {
        DeleteFileA( inf_path );
        return TRUE;
    }
    return write_file( inf_path, data );
}

static void restore_inf(void)
{
    DeleteFileA( inf_path );
    MoveFileA( backup_path, inf_path );
}

static const char profiles_key[] =
    "Software\\Microsoft\\Windows NT\\CurrentVersion\\Windows Messaging Subsystem\\Profiles";

static HKEY open_profile_key( const char *profile )
{
    char path[512];
    HKEY key;

    lstrcpyA( path, profiles_key );
    lstrcatA( path, "\\" );
    lstrcatA( path, profile );
    if (RegOpenKeyExA( HKEY_CURRENT_USER, path, 0, KEY_READ, &key )) return NULL;
    return key;
}

/* the bytes of one property value of a section, or 0 size when missing */
static DWORD read_section_value( const char *profile, const char *section, const char *tag, BYTE *data, DWORD size )
{
    HKEY key, sub;
    LONG err;

    if (!(key = open_profile_key( profile ))) return 0;
    err = RegOpenKeyExA( key, section, 0, KEY_READ, &sub );
    RegCloseKey( key );
    if (err) return 0;
    err = RegQueryValueExA( sub, tag, NULL, NULL, data, &size );
    RegCloseKey( sub );
    return err ? 0 : size;
}

static unsigned int count_sections( const char *profile )
{
    DWORD count = 0;
    HKEY key;

    if (!(key = open_profile_key( profile ))) return 0;
    RegQueryInfoKeyA( key, NULL, NULL, NULL, &count, NULL, NULL, NULL, NULL, NULL, NULL, NULL );
    RegCloseKey( key );
    return count;
}

static void hex_name( const BYTE *uid, char name[33] )
{
    static const char hex[] = "0123456789abcdef";
    unsigned int i;

    for (i = 0; i < 16; i++)
    {
        name[2 * i] = hex[uid[i] >> 4];
        name[2 * i + 1] = hex[uid[i] & 0xf];
    }
    name[32] = 0;
}
