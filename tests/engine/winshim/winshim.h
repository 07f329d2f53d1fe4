/*
 * Native shim for building winemapix's and winepst's plain-C parts
 * (mapisvc.c, restrict.c, propval.c, both entryid.c) outside Wine, for the
 * fuzz targets.
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
 * Force-included (-include) before every file of the native build, which
 * uses Wine's own Windows and msvcrt headers with -fshort-wchar.  Those
 * headers declare the CRT and Win32 functions with the ms_abi convention,
 * and WCHAR is 2 bytes while glibc's wchar_t functions take 4: so every
 * such function the code calls is renamed here to a shim_ function that
 * winshim.c, a plain native file, implements with the ms_abi convention
 * and 2-byte characters.  The CRT's memory and string functions are
 * renamed too: under their own names the compiler may treat them as
 * builtins with the native convention, which is not safe to rely on.
 */
#define malloc shim_malloc
#define calloc shim_calloc
#define realloc shim_realloc
#define free shim_free
#define memcmp shim_memcmp
#define memcpy shim_memcpy
#define memset shim_memset
#define memmove shim_memmove
#define strlen shim_strlen
#define strcmp shim_strcmp
#define wcslen shim_wcslen
#define wcsnlen shim_wcsnlen
#define WideCharToMultiByte shim_WideCharToMultiByte
#define strtoul shim_strtoul
#define _stricmp shim_stricmp
#define _strnicmp shim_strnicmp
#define __stdio_common_vsprintf shim_stdio_common_vsprintf
#define __wine_dbg_header shim_wine_dbg_header
#define __wine_dbg_output shim_wine_dbg_output
#define lstrcmpA shim_lstrcmpA
#define lstrcmpW shim_lstrcmpW
#define CompareStringA shim_CompareStringA
#define CompareStringW shim_CompareStringW
#define CompareFileTime shim_CompareFileTime
#define MultiByteToWideChar shim_MultiByteToWideChar
#define CreateFileW shim_CreateFileW
#define ReadFile shim_ReadFile
#define CloseHandle shim_CloseHandle
#define GetFileSizeEx shim_GetFileSizeEx
#define GetSystemDirectoryW shim_GetSystemDirectoryW
#define __wine_dbg_strdup shim_wine_dbg_strdup
#define IsBadStringPtrA shim_IsBadStringPtrA
#define IsBadStringPtrW shim_IsBadStringPtrW
