/*
 * OpenStreamOnFile: an IStream over a file
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

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "winemapix_private.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(mapix);

struct file_stream
{
    IStream IStream_iface;
    LONG refcount;
    HANDLE file;
    DWORD mode;         /* the STGM_* flags the stream was opened with */
    WCHAR *name;
};

static inline struct file_stream *impl_from_IStream(IStream *iface)
{
    return CONTAINING_RECORD(iface, struct file_stream, IStream_iface);
}

static HRESULT WINAPI file_stream_QueryInterface(IStream *iface, REFIID riid, void **out)
{
    struct file_stream *stream = impl_from_IStream(iface);

    TRACE("%p, %s, %p.\n", iface, debugstr_guid(riid), out);

    if (!out) return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_ISequentialStream) || IsEqualIID(riid, &IID_IStream))
    {
        *out = &stream->IStream_iface;
        IStream_AddRef(iface);
        return S_OK;
    }
    WARN("Unsupported %s.\n", debugstr_guid(riid));
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI file_stream_AddRef(IStream *iface)
{
    struct file_stream *stream = impl_from_IStream(iface);
    ULONG refcount = InterlockedIncrement(&stream->refcount);

    TRACE("%p, refcount %lu.\n", iface, refcount);
    return refcount;
}

static ULONG WINAPI file_stream_Release(IStream *iface)
{
    struct file_stream *stream = impl_from_IStream(iface);
    ULONG refcount = InterlockedDecrement(&stream->refcount);

    TRACE("%p, refcount %lu.\n", iface, refcount);

    if (!refcount)
    {
        /* STGM_DELETEONRELEASE files were opened with FILE_FLAG_DELETE_ON_CLOSE */
        CloseHandle(stream->file);
        free(stream->name);
        free(stream);
    }
    return refcount;
}

static HRESULT WINAPI file_stream_Read(IStream *iface, void *buffer, ULONG size, ULONG *read)
{
    struct file_stream *stream = impl_from_IStream(iface);
    DWORD done = 0;

    TRACE("%p, %p, %lu, %p.\n", iface, buffer, size, read);

    if (!buffer) return STG_E_INVALIDPOINTER;
    if (!ReadFile(stream->file, buffer, size, &done, NULL))
    {
        if (read) *read = 0;
        return STG_E_READFAULT;
    }
    if (read) *read = done;
    return S_OK;
}

static HRESULT WINAPI file_stream_Write(IStream *iface, const void *buffer, ULONG size, ULONG *written)
{
    struct file_stream *stream = impl_from_IStream(iface);
    DWORD done = 0;

    TRACE("%p, %p, %lu, %p.\n", iface, buffer, size, written);

    if (!buffer) return STG_E_INVALIDPOINTER;
    if (!(stream->mode & (STGM_WRITE | STGM_READWRITE))) return STG_E_ACCESSDENIED;
    if (!WriteFile(stream->file, buffer, size, &done, NULL))
    {
        if (written) *written = 0;
        return GetLastError() == ERROR_DISK_FULL ? STG_E_MEDIUMFULL : STG_E_WRITEFAULT;
    }
    if (written) *written = done;
    return S_OK;
}

static HRESULT WINAPI file_stream_Seek(IStream *iface, LARGE_INTEGER move, DWORD origin, ULARGE_INTEGER *pos)
{
    struct file_stream *stream = impl_from_IStream(iface);
    LARGE_INTEGER new_pos;

    TRACE("%p, %s, %lu, %p.\n", iface, wine_dbgstr_longlong(move.QuadPart), origin, pos);

    if (origin > STREAM_SEEK_END) return STG_E_INVALIDFUNCTION;
    if (!SetFilePointerEx(stream->file, move, &new_pos, origin)) return STG_E_INVALIDFUNCTION;
    if (pos) pos->QuadPart = new_pos.QuadPart;
    return S_OK;
}

static HRESULT WINAPI file_stream_SetSize(IStream *iface, ULARGE_INTEGER size)
{
    struct file_stream *stream = impl_from_IStream(iface);
    LARGE_INTEGER zero, old, target;
    BOOL ret;

    TRACE("%p, %s.\n", iface, wine_dbgstr_longlong(size.QuadPart));

    if (!(stream->mode & (STGM_WRITE | STGM_READWRITE))) return STG_E_ACCESSDENIED;
    zero.QuadPart = 0;
    SetFilePointerEx(stream->file, zero, &old, FILE_CURRENT);
    target.QuadPart = size.QuadPart;
    ret = SetFilePointerEx(stream->file, target, NULL, FILE_BEGIN) && SetEndOfFile(stream->file);
    /* the seek pointer does not move */
    SetFilePointerEx(stream->file, old, NULL, FILE_BEGIN);
    return ret ? S_OK : STG_E_MEDIUMFULL;
}

static HRESULT WINAPI file_stream_CopyTo(IStream *iface, IStream *dest, ULARGE_INTEGER size,
                                         ULARGE_INTEGER *read, ULARGE_INTEGER *written)
{
    ULONGLONG left = size.QuadPart, total_read = 0, total_written = 0;
    BYTE buffer[4096];
    ULONG got, put;
    HRESULT hr = S_OK;

    TRACE("%p, %p, %s, %p, %p.\n", iface, dest, wine_dbgstr_longlong(size.QuadPart), read, written);

    if (!dest) return STG_E_INVALIDPOINTER;
    while (left)
    {
        if (FAILED(hr = IStream_Read(iface, buffer, (ULONG)min(left, sizeof(buffer)), &got)) || !got) break;
        total_read += got;
        if (FAILED(hr = IStream_Write(dest, buffer, got, &put))) break;
        total_written += put;
        left -= got;
    }
    if (read) read->QuadPart = total_read;
    if (written) written->QuadPart = total_written;
    return hr;
}

static HRESULT WINAPI file_stream_Commit(IStream *iface, DWORD flags)
{
    struct file_stream *stream = impl_from_IStream(iface);

    TRACE("%p, %#lx.\n", iface, flags);

    /* not transacted: just push the data to disk */
    if (stream->mode & (STGM_WRITE | STGM_READWRITE)) FlushFileBuffers(stream->file);
    return S_OK;
}

static HRESULT WINAPI file_stream_Revert(IStream *iface)
{
    TRACE("%p.\n", iface);

    /* nothing is buffered, so there is nothing to throw away */
    return S_OK;
}

static HRESULT WINAPI file_stream_LockRegion(IStream *iface, ULARGE_INTEGER offset, ULARGE_INTEGER size, DWORD type)
{
    TRACE("%p, %s, %s, %lu.\n", iface, wine_dbgstr_longlong(offset.QuadPart), wine_dbgstr_longlong(size.QuadPart), type);

    return STG_E_INVALIDFUNCTION;
}

static HRESULT WINAPI file_stream_UnlockRegion(IStream *iface, ULARGE_INTEGER offset, ULARGE_INTEGER size, DWORD type)
{
    TRACE("%p, %s, %s, %lu.\n", iface, wine_dbgstr_longlong(offset.QuadPart), wine_dbgstr_longlong(size.QuadPart), type);

    return STG_E_INVALIDFUNCTION;
}

static HRESULT WINAPI file_stream_Stat(IStream *iface, STATSTG *stat, DWORD flags)
{
    struct file_stream *stream = impl_from_IStream(iface);
    BY_HANDLE_FILE_INFORMATION info;

    TRACE("%p, %p, %#lx.\n", iface, stat, flags);

    if (!stat) return STG_E_INVALIDPOINTER;
    if (!GetFileInformationByHandle(stream->file, &info)) return STG_E_ACCESSDENIED;
    memset(stat, 0, sizeof(*stat));
    stat->type = STGTY_STREAM;
    stat->cbSize.u.LowPart = info.nFileSizeLow;
    stat->cbSize.u.HighPart = info.nFileSizeHigh;
    stat->mtime = info.ftLastWriteTime;
    stat->ctime = info.ftCreationTime;
    stat->atime = info.ftLastAccessTime;
    stat->grfMode = stream->mode;
    if (!(flags & STATFLAG_NONAME))
    {
        SIZE_T size = (wcslen(stream->name) + 1) * sizeof(WCHAR);

        if (!(stat->pwcsName = CoTaskMemAlloc(size))) return E_OUTOFMEMORY;
        memcpy(stat->pwcsName, stream->name, size);
    }
    return S_OK;
}

static HRESULT WINAPI file_stream_Clone(IStream *iface, IStream **out)
{
    FIXME("%p, %p: stub.\n", iface, out);

    if (out) *out = NULL;
    return E_NOTIMPL;
}

static const IStreamVtbl file_stream_vtbl =
{
    file_stream_QueryInterface,
    file_stream_AddRef,
    file_stream_Release,
    file_stream_Read,
    file_stream_Write,
    file_stream_Seek,
    file_stream_SetSize,
    file_stream_CopyTo,
    file_stream_Commit,
    file_stream_Revert,
    file_stream_LockRegion,
    file_stream_UnlockRegion,
    file_stream_Stat,
    file_stream_Clone,
};

static HRESULT map_file_error(DWORD error)
{
    switch (error)
    {
    case ERROR_FILE_NOT_FOUND:
    case ERROR_PATH_NOT_FOUND:
    case ERROR_INVALID_NAME:
        return MAPI_E_NOT_FOUND;
    case ERROR_ACCESS_DENIED:
    case ERROR_SHARING_VIOLATION:
    case ERROR_WRITE_PROTECT:
        return MAPI_E_NO_ACCESS;
    case ERROR_NOT_ENOUGH_MEMORY:
    case ERROR_OUTOFMEMORY:
        return MAPI_E_NOT_ENOUGH_MEMORY;
    default:
        return MAPI_E_CALL_FAILED;
    }
}

static HRESULT open_stream(ULONG flags, const WCHAR *filename, const WCHAR *prefix, IStream **out)
{
    WCHAR dir[MAX_PATH], path[MAX_PATH];
    struct file_stream *stream;
    DWORD access, share, creation, attrs = FILE_ATTRIBUTE_NORMAL;
    ULONG mode = flags & ~SOF_UNIQUEFILENAME;
    HANDLE file;

    if (!out) return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    /* STGM_CREATE only makes sense for a writable file */
    if ((mode & STGM_CREATE) && !(mode & (STGM_READWRITE | STGM_WRITE))) return MAPI_E_INVALID_PARAMETER;

    if (flags & SOF_UNIQUEFILENAME)
    {
        if (prefix && wcslen(prefix) > 3) return MAPI_E_INVALID_PARAMETER;
        if (filename)
        {
            if (wcslen(filename) >= MAX_PATH - 14) return MAPI_E_INVALID_PARAMETER;
            wcscpy(dir, filename);
        }
        else if (!GetTempPathW(ARRAY_SIZE(dir), dir)) wcscpy(dir, L".");
        /* makes <prefix>HHHH.TMP and creates it, so the name stays ours */
        if (!GetTempFileNameW(dir, prefix ? prefix : L"SOF", 0, path)) return map_file_error(GetLastError());
        mode |= STGM_CREATE;
        if (!(mode & (STGM_READWRITE | STGM_WRITE))) mode |= STGM_READWRITE;
    }
    else if (!filename)
    {
        if ((mode & (STGM_CREATE | STGM_DELETEONRELEASE)) != (STGM_CREATE | STGM_DELETEONRELEASE))
            return MAPI_E_INVALID_PARAMETER;
        if (!GetTempPathW(ARRAY_SIZE(dir), dir)) wcscpy(dir, L".");
        if (!GetTempFileNameW(dir, L"SOF", 0, path)) return map_file_error(GetLastError());
    }
    else
    {
        if (wcslen(filename) >= MAX_PATH) return MAPI_E_INVALID_PARAMETER;
        wcscpy(path, filename);
    }

    if (mode & STGM_READWRITE) access = GENERIC_READ | GENERIC_WRITE;
    else if (mode & STGM_WRITE) access = GENERIC_WRITE;
    else access = GENERIC_READ;

    switch (mode & 0x70)
    {
    case STGM_SHARE_EXCLUSIVE: share = 0; break;
    case STGM_SHARE_DENY_READ: share = FILE_SHARE_WRITE; break;
    case STGM_SHARE_DENY_WRITE: share = FILE_SHARE_READ; break;
    default: share = FILE_SHARE_READ | FILE_SHARE_WRITE; break;
    }
    creation = (mode & STGM_CREATE) ? CREATE_ALWAYS : OPEN_EXISTING;
    if (mode & STGM_DELETEONRELEASE)
    {
        attrs |= FILE_FLAG_DELETE_ON_CLOSE;
        share |= FILE_SHARE_DELETE;
    }

    file = CreateFileW(path, access, share, NULL, creation, attrs, NULL);
    if (file == INVALID_HANDLE_VALUE)
    {
        HRESULT hr = map_file_error(GetLastError());

        if (flags & SOF_UNIQUEFILENAME || !filename) DeleteFileW(path);
        return hr;
    }
    if (!(stream = calloc(1, sizeof(*stream))) || !(stream->name = wcsdup(path)))
    {
        free(stream);
        CloseHandle(file);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    stream->IStream_iface.lpVtbl = &file_stream_vtbl;
    stream->refcount = 1;
    stream->file = file;
    stream->mode = mode;
    *out = &stream->IStream_iface;
    return S_OK;
}

/*************************************************************************
 * OpenStreamOnFileW (winemapix.@)
 *
 * Opens or creates a file and returns an IStream on it.
 */
HRESULT WINAPI OpenStreamOnFileW(LPALLOCATEBUFFER alloc, LPFREEBUFFER free_buf, ULONG flags,
                                 const WCHAR *filename, const WCHAR *prefix, IStream **out)
{
    TRACE("%p, %p, %#lx, %s, %s, %p.\n", alloc, free_buf, flags, debugstr_w(filename), debugstr_w(prefix), out);

    return open_stream(flags, filename, prefix, out);
}

static WCHAR *strdup_AtoW(const char *str)
{
    WCHAR *ret;
    int len;

    if (!str) return NULL;
    len = MultiByteToWideChar(CP_ACP, 0, str, -1, NULL, 0);
    if ((ret = malloc(len * sizeof(WCHAR)))) MultiByteToWideChar(CP_ACP, 0, str, -1, ret, len);
    return ret;
}

/*************************************************************************
 * OpenStreamOnFile (winemapix.@)
 *
 * ANSI version of OpenStreamOnFileW, as Microsoft documents it.
 */
HRESULT WINAPI OpenStreamOnFileA(LPALLOCATEBUFFER alloc, LPFREEBUFFER free_buf, ULONG flags,
                                 const char *filename, const char *prefix, IStream **out)
{
    WCHAR *filenameW = NULL, *prefixW = NULL;
    HRESULT hr;

    TRACE("%p, %p, %#lx, %s, %s, %p.\n", alloc, free_buf, flags, debugstr_a(filename), debugstr_a(prefix), out);

    if ((filename && !(filenameW = strdup_AtoW(filename))) || (prefix && !(prefixW = strdup_AtoW(prefix))))
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    else
        hr = open_stream(flags, filenameW, prefixW, out);
    free(filenameW);
    free(prefixW);
    return hr;
}
