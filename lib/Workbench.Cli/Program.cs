using System.CommandLine;
using System.Reflection;

namespace Workbench.Cli;

/// <summary>Entry point of the <c>workbench</c> command.</summary>
public static class Program
{
    /// <summary>Builds the root command with every <see cref="CliCommand"/> in this assembly.</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("Workbench: simulate political digital microtargeting — synthetic electorates, electoral systems, campaigns, regulation — and run the notebook curriculum.");
        var commands = typeof(Program).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(CliCommand).IsAssignableFrom(t))
            .Select(t => ((CliCommand)Activator.CreateInstance(t, nonPublic: true)!).Build())
            .OrderBy(c => c.Name, StringComparer.Ordinal);
        foreach (var c in commands) root.Subcommands.Add(c);
        return root;
    }

    /// <summary>Runs the command line; returns the process exit code (0 ok, 1 failed work, 2 invalid input).</summary>
    public static int Main(string[] args)
    {
        var root = BuildRoot();
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is not System.CommandLine.Help.HelpAction)
        {
            foreach (var e in parse.Errors) Console.Error.WriteLine($"workbench: {e.Message}");
            Console.Error.WriteLine("Run 'workbench --help' for usage.");
            return ExitCodes.Usage;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false, Output = Console.Out, Error = Console.Error });
        }
        catch (Exception ex) when (Unwrap(ex) is UsageException or SpecValidationException or ArgumentException or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            Console.Error.WriteLine($"workbench: {Unwrap(ex).Message}");
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("workbench: cancelled.");
            return ExitCodes.Failed;
        }
    }

    private static Exception Unwrap(Exception ex) =>
        ex is TargetInvocationException { InnerException: { } inner } ? Unwrap(inner) :
        ex is AggregateException { InnerExceptions.Count: 1 } agg ? Unwrap(agg.InnerExceptions[0]) : ex;
}
