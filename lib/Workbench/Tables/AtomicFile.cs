using System.Diagnostics;
using System.Globalization;

namespace Workbench.Tables;

/// <summary>
/// Writes files so that a reader never sees half of one: content goes to a temporary file in
/// the same folder, which is renamed over the target only when complete. On failure (an
/// exception, a full disk) the temporary file is deleted and the target is left as it was.
/// </summary>
/// <remarks>
/// A process killed mid-write cannot delete its temporary file, so temporary files are
/// recognisable by name — <c>.wbtmp-PID-RANDOM-NAME</c>, with the writing process's id — and every
/// write (and every <see cref="Probe"/>) first removes the temporary files in its folder whose
/// process no longer runs. A killed write therefore leaves at most one hidden file, which the next
/// write to the same folder removes; the target itself is always absent, old or complete.
/// </remarks>
public static class AtomicFile
{
    /// <summary>The prefix of every temporary file this class writes.</summary>
    public const string TempPrefix = ".wbtmp-";

    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>, atomically.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{path}' has no folder.", nameof(path));
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"The folder '{dir}' does not exist.");
        RemoveStaleTemporaries(dir);
        var tmp = TempPath(dir, Path.GetFileName(full));
        try
        {
            using (var fs = new SequentialFileStream(File.OpenHandle(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None)))
            {
                write(fs);
                fs.Commit();   // the rest of the bytes, then flushed to disk before the rename
            }
            File.Move(tmp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(tmp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    /// <summary>Writes text as UTF-8 without a byte-order mark, atomically.</summary>
    public static void WriteAllText(string path, string text) =>
        Write(path, s => { using var w = new StreamWriter(s, new System.Text.UTF8Encoding(false), leaveOpen: true); w.Write(text); });

    /// <summary>
    /// Checks that files can be created in <paramref name="directory"/> by creating and deleting an empty temporary file
    /// (removing stale temporary files first); throws the <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/> otherwise.
    /// </summary>
    public static void Probe(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        RemoveStaleTemporaries(directory);
        var probe = TempPath(directory, "probe");
        using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
    }

    /// <summary>
    /// Deletes the temporary files in <paramref name="directory"/> left by writers that were killed (their process id no longer
    /// runs); returns how many were deleted. Temporary files of running processes, this one included, are left alone.
    /// </summary>
    public static int RemoveStaleTemporaries(string directory)
    {
        int removed = 0;
        IEnumerable<string> candidates;
        try { candidates = Directory.EnumerateFiles(directory, TempPrefix + "*").ToArray(); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return 0; }
        foreach (var f in candidates)
        {
            var name = Path.GetFileName(f.AsSpan());
            var rest = name[TempPrefix.Length..];
            int dash = rest.IndexOf('-');
            if (dash <= 0 || !int.TryParse(rest[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || IsRunning(pid)) continue;
            try { File.Delete(f); removed++; }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
        }
        return removed;
    }

    private static string TempPath(string dir, string fileName) =>
        Path.Combine(dir, $"{TempPrefix}{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}-{fileName}");

    private static bool IsRunning(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        if (OperatingSystem.IsLinux()) return Directory.Exists($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}");
        try { using var p = Process.GetProcessById(pid); return !p.HasExited; }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }
}
