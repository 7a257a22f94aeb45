namespace Workbench.Cli;

/// <summary>
/// The output locations of one command run, so that a failed run leaves nothing behind. A command declares each
/// output (a folder or a file) before writing it: the declaration refuses paths of the wrong kind (a file where a
/// folder is expected, a folder where a file is expected, a missing parent folder) as usage errors, and remembers what
/// was there before. When the command fails (an exception or a non-zero exit code), <see cref="Program"/> rolls the
/// declared outputs back: a folder the command created is removed with its contents; in a folder that existed, the
/// entries the command added are removed; a file that did not exist is removed. Files that existed before are each
/// replaced atomically, so they hold either the old or the new complete content.
/// </summary>
internal static class Outputs
{
    private static readonly AsyncLocal<Scope?> Current = new();

    /// <summary>Starts recording the outputs of one command run (on this call's logical flow, so parallel in-process runs do not mix).</summary>
    public static Scope Begin() => Current.Value = new Scope();

    /// <summary>
    /// Declares the output folder <paramref name="path"/> (named on the command line by <paramref name="flag"/>): a usage error when it
    /// names an existing file or cannot be created; created when missing. Returns the full path. With
    /// <paramref name="keepWhenWorkFails"/>, what the command wrote stays when the work itself fails (exit code 1: e.g. executed
    /// notebooks that show the failing cell) and is rolled back only for invalid input (exit code 2) or an error.
    /// </summary>
    public static string Folder(string path, string flag, bool keepWhenWorkFails = false)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new UsageException($"{flag}: the output folder must not be empty.");
        string full;
        try { full = Path.GetFullPath(path); }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException) { throw new UsageException($"{flag}: '{path}' is not a valid path: {ex.Message}"); }
        if (System.IO.File.Exists(full)) throw new UsageException($"{flag}: '{path}' is a file; a folder is expected.");
        var scope = Current.Value;
        if (Directory.Exists(full))
        {
            scope?.Remember(full, existed: true, isFolder: true, keepWhenWorkFails);
            return full;
        }
        // The first missing ancestor is what the command creates, and what a failure removes.
        string created = full;
        for (var parent = Path.GetDirectoryName(created); parent is not null && !Directory.Exists(parent); parent = Path.GetDirectoryName(parent))
        {
            if (System.IO.File.Exists(parent)) throw new UsageException($"{flag}: cannot create '{path}': '{parent}' is a file.");
            created = parent;
        }
        try { Directory.CreateDirectory(full); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{flag}: cannot create the folder '{path}': {ex.Message}");
        }
        scope?.Remember(created, existed: false, isFolder: true, keepWhenWorkFails);
        return full;
    }

    /// <summary>
    /// Declares the output file <paramref name="path"/> (named by <paramref name="flag"/>): a usage error when it names a folder, its
    /// folder does not exist, or the folder cannot be written. Returns the full path.
    /// </summary>
    public static string File(string path, string flag)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new UsageException($"{flag}: the output file must not be empty.");
        string full;
        try { full = Path.GetFullPath(path); }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException) { throw new UsageException($"{flag}: '{path}' is not a valid path: {ex.Message}"); }
        var dir = Path.GetDirectoryName(full)!;
        if (Directory.Exists(full)) throw new UsageException($"{flag}: cannot write '{path}': it is a folder.");
        if (System.IO.File.Exists(dir)) throw new UsageException($"{flag}: cannot write '{path}': '{dir}' is a file, not a folder.");
        if (!Directory.Exists(dir)) throw new UsageException($"{flag}: cannot write '{path}': the folder '{dir}' does not exist.");
        try { Tables.AtomicFile.Probe(dir); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{flag}: cannot write '{path}': {ex.Message}");
        }
        Current.Value?.Remember(full, existed: System.IO.File.Exists(full), isFolder: false);
        return full;
    }

    /// <summary>The outputs declared during one command run.</summary>
    internal sealed class Scope : IDisposable
    {
        private readonly List<(string Path, bool Existed, bool IsFolder, HashSet<string>? Before, bool KeepWhenWorkFails)> declared = [];

        internal void Remember(string path, bool existed, bool isFolder, bool keepWhenWorkFails = false)
        {
            lock (declared)
            {
                if (declared.Any(d => d.Path == path)) return;
                HashSet<string>? before = existed && isFolder ? [.. Directory.EnumerateFileSystemEntries(path)] : null;
                declared.Add((path, existed, isFolder, before, keepWhenWorkFails));
            }
        }

        /// <summary>
        /// Removes what the failed run added to its declared outputs (latest first); returns the paths it could not remove.
        /// <paramref name="workFailed"/>: the run ended with exit code 1 (not an error or invalid input), so outputs declared
        /// with keepWhenWorkFails stay.
        /// </summary>
        public IReadOnlyList<string> RollBack(bool workFailed = false)
        {
            var left = new List<string>();
            lock (declared)
            {
                for (int i = declared.Count - 1; i >= 0; i--)
                {
                    var (path, existed, isFolder, before, keep) = declared[i];
                    if (keep && workFailed) continue;
                    try
                    {
                        if (isFolder && !existed) { if (Directory.Exists(path)) Directory.Delete(path, recursive: true); }
                        else if (isFolder && Directory.Exists(path))
                        {
                            foreach (var e in Directory.EnumerateFileSystemEntries(path).Where(e => !before!.Contains(e)).ToArray())
                                if (Directory.Exists(e)) Directory.Delete(e, recursive: true); else System.IO.File.Delete(e);
                        }
                        else if (!isFolder && !existed && System.IO.File.Exists(path)) System.IO.File.Delete(path);
                    }
                    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { left.Add(path); }
                }
                declared.Clear();
            }
            return left;
        }

        /// <summary>Stops recording (the run is over).</summary>
        public void Dispose()
        {
            if (ReferenceEquals(Current.Value, this)) Current.Value = null;
        }
    }
}
