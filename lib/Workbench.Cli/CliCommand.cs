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
