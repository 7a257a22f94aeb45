using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Workbench.Tables;

/// <summary>
/// The write-only, forward-only file stream of <see cref="AtomicFile"/>: bytes are gathered in 8 MiB blocks that a
/// background thread writes while the caller goes on producing the next, and on Linux the file is opened for direct I/O
/// (O_DIRECT), so that the blocks go from this process's buffers to the disk without being copied into the page cache.
/// </summary>
/// <remarks>
/// <para>Why: on the 2-core VM, writing the 603 MB of a 10-million-voter Parquet file through the page cache and then
/// flushing it to disk took 1.6–2.0 s, nearly all of it system time (copying into freshly faulted page-cache pages);
/// with direct I/O the same bytes took 0.25–0.31 s (measured with dd, docs/electorate.md "Parquet format").</para>
/// <para>Direct I/O needs block-aligned buffers, offsets and lengths: every block is 4 KiB-aligned native memory and a
/// multiple of 4 KiB long; the last, partial 4 KiB of the file is written after switching direct I/O off again. Where
/// the file system refuses direct I/O (fcntl fails, or a direct write fails) the stream writes through the page cache
/// instead: the file's bytes never depend on it. <see cref="Commit"/> writes what is left and flushes the file to disk
/// (fsync), which direct I/O does not make unnecessary: it still carries the file's size and the disk's write cache.</para>
/// </remarks>
internal sealed unsafe partial class SequentialFileStream : Stream
{
    /// <summary>Bytes per background write: a multiple of <see cref="Alignment"/>.</summary>
    internal const int BlockSize = 8 << 20;
    private const int Alignment = 4096;
    private const int Buffers = 3;
    private readonly SafeFileHandle _handle;
    private readonly List<nint> _allocated = [];
    private readonly BlockingCollection<nint> _free = new();
    private BlockingCollection<(nint Block, int Length, long Offset)>? _queue;
    private Thread? _writer;
    private Exception? _error;
    private bool _direct, _committed, _disposed;
    private byte* _current;
    private int _filled;
    private long _offset;       // file offset of the current block's first byte

    /// <summary>Takes ownership of <paramref name="handle"/> (a file opened for writing at offset 0) and writes to it.</summary>
    public SequentialFileStream(SafeFileHandle handle)
    {
        _handle = handle;
        _direct = SetDirect(handle, true);
        _current = Allocate();
    }

    /// <summary>Whether the blocks bypass the page cache (direct I/O); false where the file system refused it.</summary>
    public bool Direct => _direct;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => !_disposed && !_committed;
    public override long Length => _offset + _filled;
    public override long Position { get => _offset + _filled; set => throw new NotSupportedException("The stream only writes forward."); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("The stream only writes.");
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("The stream only writes forward.");
    public override void SetLength(long value) => throw new NotSupportedException("The stream only writes forward.");

    /// <summary>Does nothing: blocks are written when full and the rest by <see cref="Commit"/>.</summary>
    public override void Flush() { }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void WriteByte(byte value) => Write([value]);

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_committed) throw new InvalidOperationException("The file is already committed.");
        while (buffer.Length > 0)
        {
            int k = Math.Min(buffer.Length, BlockSize - _filled);
            buffer[..k].CopyTo(new Span<byte>(_current + _filled, k));
            _filled += k;
            buffer = buffer[k..];
            if (_filled == BlockSize) Submit();
        }
    }

    /// <summary>Writes what is buffered, waits for the background writes and flushes the file to disk; after it the stream takes no more bytes.</summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_committed) return;
        _committed = true;
        StopWriter();
        ThrowIfFailed();
        int aligned = _direct ? _filled & ~(Alignment - 1) : 0;
        if (aligned > 0) WriteBlock((nint)_current, aligned, _offset);
        if (_filled > aligned)
        {
            if (_direct && SetDirect(_handle, false)) _direct = false;   // the last partial 4 KiB go through the page cache
            WriteBlock((nint)(_current + aligned), _filled - aligned, _offset + aligned);
        }
        _offset += _filled;
        _filled = 0;
        RandomAccess.FlushToDisk(_handle);
    }

    protected override void Dispose(bool disposing)
    {
        if (_disposed) return;
        _disposed = true;
        if (!_committed) _error ??= new OperationCanceledException("The write was abandoned.");   // the writer skips what is queued
        try { StopWriter(); }
        finally
        {
            foreach (var p in _allocated) NativeMemory.AlignedFree((void*)p);
            _allocated.Clear();
            _current = null;
            _free.Dispose();
            _queue?.Dispose();
            if (disposing) _handle.Dispose();
            base.Dispose(disposing);
        }
    }

    /// <summary>Hands the full current block to the writer thread and continues in a free block (waiting for one if all are in flight).</summary>
    private void Submit()
    {
        ThrowIfFailed();
        if (_writer is null)
        {
            _queue = new BlockingCollection<(nint, int, long)>(Buffers - 1);
            _writer = new Thread(WriterLoop) { IsBackground = true, Name = "SequentialFileStream writer" };
            _writer.Start();
        }
        _queue!.Add(((nint)_current, _filled, _offset));
        _offset += _filled;
        _filled = 0;
        _current = _allocated.Count < Buffers ? Allocate() : (byte*)_free.Take();
        ThrowIfFailed();
    }

    private void WriterLoop()
    {
        foreach (var (block, length, offset) in _queue!.GetConsumingEnumerable())
        {
            if (_error is null)
            {
                try { WriteBlock(block, length, offset); }
                catch (Exception ex) { _error = ex; }
            }
            _free.Add(block);
        }
    }

    /// <summary>Writes one block at <paramref name="offset"/>; a direct write the file system refuses is made again through the page cache.</summary>
    private void WriteBlock(nint block, int length, long offset)
    {
        var bytes = new ReadOnlySpan<byte>((void*)block, length);
        if (!_direct) { RandomAccess.Write(_handle, bytes, offset); return; }
        try { RandomAccess.Write(_handle, bytes, offset); }
        catch (IOException)
        {
            SetDirect(_handle, false);
            _direct = false;
            RandomAccess.Write(_handle, bytes, offset);
        }
    }

    private void StopWriter()
    {
        if (_writer is null) return;
        _queue!.CompleteAdding();
        _writer.Join();
        _writer = null;
    }

    private void ThrowIfFailed()
    {
        if (_error is { } e) throw new IOException(e.Message, e);
    }

    private byte* Allocate()
    {
        var p = (byte*)NativeMemory.AlignedAlloc(BlockSize, Alignment);
        _allocated.Add((nint)p);
        return p;
    }

    /// <summary>Turns direct I/O on or off for the open file (Linux on x64 and Arm64); whether it succeeded.</summary>
    private static bool SetDirect(SafeFileHandle handle, bool on)
    {
        int flag = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 or Architecture.X86 => 0x4000,          // O_DIRECT (octal 040000)
            Architecture.Arm64 or Architecture.Arm => 0x10000,       // O_DIRECT (octal 0200000)
            _ => 0,
        };
        if (!OperatingSystem.IsLinux() || flag == 0) return false;
        try
        {
            int fd = (int)handle.DangerousGetHandle();
            int flags = Fcntl(fd, GetFlags, 0);
            if (flags < 0) return false;
            return Fcntl(fd, SetFlags, on ? flags | flag : flags & ~flag) == 0;
        }
        catch (DllNotFoundException) { return false; }
        catch (EntryPointNotFoundException) { return false; }
    }

    private const int GetFlags = 3, SetFlags = 4;   // F_GETFL, F_SETFL

    [LibraryImport("libc", EntryPoint = "fcntl")]
    private static partial int Fcntl(int fd, int command, int argument);
}
