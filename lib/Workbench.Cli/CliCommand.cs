using System.CommandLine;

namespace Workbench.Cli;

/// <summary>
/// One subcommand of <c>workbench</c>. Every non-abstract subclass in this assembly is found
/// by <see cref="Program"/> and added to the root command in name order, so a new command is
/// one new file under Commands/ and nothing else changes.
/// </summary>
internal abstract class CliCommand
{
    /// <summary>Builds the System.CommandLine command, with its options and action.</summary>
    public abstract Command Build();
}

/// <summary>Bad input from the user (flags, files, specs): printed without a stack trace, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>Exit codes shared by every command.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The work ran and something in it failed (a notebook cell, a shard).</summary>
    public const int Failed = 1;
    /// <summary>Invalid input: unknown preset, invalid spec, bad flag value, unwritable path.</summary>
    public const int Usage = 2;
}

/// <summary>Checks on input files named on the command line, so that a missing file, a folder or an empty file is a usage error that names the flag.</summary>
internal static class Inputs
{
    /// <summary>Throws a usage error naming <paramref name="flag"/> unless <paramref name="path"/> is an existing, non-empty file.</summary>
    public static string File(string path, string flag)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new UsageException($"{flag}: the file name must not be empty.");
        if (Directory.Exists(path)) throw new UsageException($"{flag}: '{path}' is a folder; a file is expected.");
        if (!System.IO.File.Exists(path)) throw new UsageException($"{flag}: the file '{path}' does not exist.");
        if (new FileInfo(path).Length == 0) throw new UsageException($"{flag}: the file '{path}' is empty.");
        return path;
    }
}
