/*
 * Tests for OpenStreamOnFile and OpenStreamOnFileW
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
#include <string.h>

#define COBJMACROS
#include "windef.h"
#include "winbase.h"
#include "objbase.h"
#include "mapidefs.h"
#include "mapicode.h"
#include "mapiutil.h"

#include "wine/test.h"

static HRESULT (WINAPI *pOpenStreamOnFile)(LPALLOCATEBUFFER, LPFREEBUFFER, ULONG, const char *, const char *,
                                           IStream **);
static HRESULT (WINAPI *pOpenStreamOnFileW)(LPALLOCATEBUFFER, LPFREEBUFFER, ULONG, const WCHAR *, const WCHAR *,
                                            IStream **);

/* the names Stat returns come from the COM task allocator */
static void (WINAPI *pCoTaskMemFree)(void *);

static WCHAR temp_dir[MAX_PATH];

static void test_existing_file(void)
{
    char path[MAX_PATH], data[16];
    LARGE_INTEGER move;
    ULARGE_INTEGER pos;
    IStream *stream = (void *)0xdeadbeef;
    STATSTG stat;
    HANDLE file;
    DWORD written;
    ULONG got;
    HRESULT hr;

    GetTempPathA(sizeof(path), path);
    lstrcatA(path, "mapix_sof_test.txt");
    DeleteFileA(path);

    hr = pOpenStreamOnFile(NULL, NULL, STGM_READ, path, NULL, &stream);
    ok(hr == MAPI_E_NOT_FOUND, "missing file: got %#lx.\n", hr);

    file = CreateFileA(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    WriteFile(file, "hello world", 11, &written, NULL);
    CloseHandle(file);

    hr = pOpenStreamOnFile(NULL, NULL, STGM_READ, path, NULL, &stream);
    ok(hr == S_OK, "OpenStreamOnFile returned %#lx.\n", hr);
    memset(data, 0, sizeof(data));
    hr = IStream_Read(stream, data, 5, &got);
    ok(hr == S_OK && got == 5 && !memcmp(data, "hello", 5), "got %#lx, %lu, %s.\n", hr, got, data);
    move.QuadPart = -5;
    hr = IStream_Seek(stream, move, STREAM_SEEK_END, &pos);
    ok(hr == S_OK && pos.QuadPart == 6, "got %#lx, %lu.\n", hr, (ULONG)pos.QuadPart);
    hr = IStream_Read(stream, data, sizeof(data), &got);
    ok(hr == S_OK && got == 5 && !memcmp(data, "world", 5), "got %#lx, %lu.\n", hr, got);
    hr = IStream_Write(stream, "x", 1, &got);
    ok(hr == STG_E_ACCESSDENIED, "write on a read-only stream returned %#lx.\n", hr);
    hr = IStream_Stat(stream, &stat, STATFLAG_NONAME);
    ok(hr == S_OK && stat.type == STGTY_STREAM && stat.cbSize.QuadPart == 11, "got %#lx.\n", hr);
    IStream_Release(stream);

    /* STGM_CREATE truncates; it needs write access */
    hr = pOpenStreamOnFile(NULL, NULL, STGM_CREATE | STGM_READ, path, NULL, &stream);
    ok(hr == MAPI_E_INVALID_PARAMETER, "STGM_CREATE without write access returned %#lx.\n", hr);
    hr = pOpenStreamOnFile(NULL, NULL, STGM_CREATE | STGM_READWRITE, path, NULL, &stream);
    ok(hr == S_OK, "got %#lx.\n", hr);
    hr = IStream_Stat(stream, &stat, STATFLAG_NONAME);
    ok(hr == S_OK && !stat.cbSize.QuadPart, "file not truncated.\n");
    hr = IStream_Write(stream, "abc", 3, &got);
    ok(hr == S_OK && got == 3, "got %#lx.\n", hr);
    pos.QuadPart = 1;
    hr = IStream_SetSize(stream, pos);
    ok(hr == S_OK, "got %#lx.\n", hr);
    IStream_Release(stream);
    file = CreateFileA(path, GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL);
    ok(GetFileSize(file, NULL) == 1, "size %lu.\n", GetFileSize(file, NULL));
    CloseHandle(file);

    /* an exclusive stream keeps others out */
    hr = pOpenStreamOnFile(NULL, NULL, STGM_READWRITE | STGM_SHARE_EXCLUSIVE, path, NULL, &stream);
    ok(hr == S_OK, "got %#lx.\n", hr);
    file = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
    ok(file == INVALID_HANDLE_VALUE, "opened an exclusively held file.\n");
    {
        IStream *second;
        hr = pOpenStreamOnFile(NULL, NULL, STGM_READ, path, NULL, &second);
        ok(hr == MAPI_E_NO_ACCESS, "got %#lx.\n", hr);
    }
    IStream_Release(stream);
    ok(DeleteFileA(path), "file could not be deleted.\n");
}

static void test_unique_file(void)
{
    WCHAR name[MAX_PATH];
    IStream *stream;
    STATSTG stat;
    HRESULT hr;
    ULONG got;

    hr = pOpenStreamOnFileW(NULL, NULL, SOF_UNIQUEFILENAME | STGM_CREATE | STGM_READWRITE, temp_dir, L"ABCD", &stream);
    ok(hr == MAPI_E_INVALID_PARAMETER, "four-character prefix returned %#lx.\n", hr);

    hr = pOpenStreamOnFileW(NULL, NULL, SOF_UNIQUEFILENAME | STGM_CREATE | STGM_READWRITE, temp_dir, L"MPX", &stream);
    ok(hr == S_OK, "OpenStreamOnFileW returned %#lx.\n", hr);
    hr = IStream_Stat(stream, &stat, 0);
    ok(hr == S_OK && stat.pwcsName, "got %#lx.\n", hr);
    if (stat.pwcsName)
    {
        const WCHAR *base = wcsrchr(stat.pwcsName, '\\') + 1;

        ok(!wcsnicmp(base, L"MPX", 3) && !wcsicmp(base + lstrlenW(base) - 4, L".TMP"), "name %s.\n",
           wine_dbgstr_w(base));
        lstrcpyW(name, stat.pwcsName);
        pCoTaskMemFree(stat.pwcsName);
    }
    hr = IStream_Write(stream, "data", 4, &got);
    ok(hr == S_OK && got == 4, "got %#lx.\n", hr);
    IStream_Release(stream);
    ok(GetFileAttributesW(name) != INVALID_FILE_ATTRIBUTES, "file gone without STGM_DELETEONRELEASE.\n");
    DeleteFileW(name);

    /* default prefix, deleted on release */
    hr = pOpenStreamOnFileW(NULL, NULL, SOF_UNIQUEFILENAME | STGM_CREATE | STGM_READWRITE | STGM_DELETEONRELEASE,
                            NULL, NULL, &stream);
    ok(hr == S_OK, "got %#lx.\n", hr);
    hr = IStream_Stat(stream, &stat, 0);
    ok(hr == S_OK, "got %#lx.\n", hr);
    ok(!wcsnicmp(wcsrchr(stat.pwcsName, '\\') + 1, L"SOF", 3), "name %s.\n", wine_dbgstr_w(stat.pwcsName));
    lstrcpyW(name, stat.pwcsName);
    pCoTaskMemFree(stat.pwcsName);
    IStream_Release(stream);
    ok(GetFileAttributesW(name) == INVALID_FILE_ATTRIBUTES, "STGM_DELETEONRELEASE file still exists.\n");

    /* without a name, STGM_CREATE and STGM_DELETEONRELEASE are required */
    hr = pOpenStreamOnFileW(NULL, NULL, STGM_CREATE | STGM_READWRITE, NULL, NULL, &stream);
    ok(hr == MAPI_E_INVALID_PARAMETER, "got %#lx.\n", hr);
    hr = pOpenStreamOnFileW(NULL, NULL, STGM_CREATE | STGM_READWRITE | STGM_DELETEONRELEASE, NULL, NULL, &stream);
    ok(hr == S_OK, "got %#lx.\n", hr);
    if (hr == S_OK) IStream_Release(stream);
}

START_TEST(stream)
{
    HMODULE mapix = LoadLibraryA("winemapix.dll");

    ok(mapix != NULL, "winemapix.dll not loaded.\n");
    if (!mapix) return;
    pOpenStreamOnFile = (void *)GetProcAddress(mapix, "OpenStreamOnFile");
    pOpenStreamOnFileW = (void *)GetProcAddress(mapix, "OpenStreamOnFileW");
    ok(pOpenStreamOnFile != NULL, "OpenStreamOnFile not exported.\n");
    ok(pOpenStreamOnFileW != NULL, "OpenStreamOnFileW not exported.\n");
    ok(GetProcAddress(mapix, "OpenStreamOnFile@24") != NULL, "OpenStreamOnFile@24 not exported.\n");
    if (!pOpenStreamOnFile || !pOpenStreamOnFileW) return;
    pCoTaskMemFree = (void *)GetProcAddress(LoadLibraryA("ole32.dll"), "CoTaskMemFree");
    ok(pCoTaskMemFree != NULL, "CoTaskMemFree not found.\n");
    if (!pCoTaskMemFree) return;
    GetTempPathW(ARRAY_SIZE(temp_dir), temp_dir);

    test_existing_file();
    test_unique_file();
}
