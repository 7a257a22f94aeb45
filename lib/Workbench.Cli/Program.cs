using System.CommandLine;
using System.Reflection;

namespace Workbench.Cli;

/// <summary>Entry point of the <c>workbench</c> command.</summary>
public static class Program
{
    /// <summary>The global <c>--verbose</c> option: print the stack trace of an error.</summary>
    internal static readonly Option<bool> Verbose = new("--verbose") { Description = "On an error, also print its stack trace.", Recursive = true };

    private static int unhandledHooked;

    /// <summary>Builds the root command with every <see cref="CliCommand"/> in this assembly.</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("Workbench: simulate political digital microtargeting — synthetic electorates, electoral systems, campaigns, regulation — and run the notebook curriculum.");
        var commands = typeof(Program).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(CliCommand).IsAssignableFrom(t))
            .Select(t => ((CliCommand)Activator.CreateInstance(t, nonPublic: true)!).Build())
            .OrderBy(c => c.Name, StringComparer.Ordinal);
        foreach (var c in commands) root.Subcommands.Add(c);
        root.Options.Add(Verbose);
        return root;
    }

    /// <summary>
    /// Runs the command line; returns the process exit code: 0 ok, 1 the work failed, 2 invalid input — never anything else.
    /// Every error becomes a message on standard error (<c>workbench: …</c>; with <c>--verbose</c> also its stack trace), and
    /// the outputs a failed command declared are rolled back (see <see cref="Outputs"/>).
    /// </summary>
    public static int Main(string[] args)
    {
        bool verbose = args.Contains("--verbose");
        // As the process's entry point, an exception escaping on another thread also ends in the contract (exit 1, one line).
        if (Assembly.GetEntryAssembly() == typeof(Program).Assembly && Interlocked.Exchange(ref unhandledHooked, 1) == 0)
            AppDomain.CurrentDomain.UnhandledException += (_, e) =>
            {
                Report(e.ExceptionObject as Exception ?? new InvalidOperationException(e.ExceptionObject?.ToString()), verbose);
                Environment.Exit(ExitCodes.Failed);
            };
        using var outputs = Outputs.Begin();
        int code;
        bool workFailed = false;
        try
        {
            var root = BuildRoot();
            var parse = root.Parse(args);
            if (parse.Errors.Count > 0 && parse.Action is not System.CommandLine.Help.HelpAction)
            {
                foreach (var e in parse.Errors) Console.Error.WriteLine($"workbench: {e.Message}");
                Console.Error.WriteLine("Run 'workbench --help' for usage.");
                return ExitCodes.Usage;
            }
            code = parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false, Output = Console.Out, Error = Console.Error });
            if (code is not (ExitCodes.Ok or ExitCodes.Failed or ExitCodes.Usage)) code = ExitCodes.Failed;
            workFailed = code == ExitCodes.Failed;
        }
        catch (Exception ex)
        {
            code = Report(ex, verbose);
        }
        if (code != ExitCodes.Ok)
            foreach (var left in outputs.RollBack(workFailed))
                Console.Error.WriteLine($"workbench: could not remove the partial output '{left}'; delete it by hand.");
        return code;
    }

    /// <summary>Prints the error as one line (plus the stack trace when verbose) and returns its exit code.</summary>
    internal static int Report(Exception ex, bool verbose)
    {
        var e = Unwrap(ex);
        int code;
        string message;
        switch (e)
        {
            case OperationCanceledException:
                code = ExitCodes.Failed; message = "cancelled."; break;
            case UsageException or SpecValidationException or ArgumentException or FileNotFoundException or DirectoryNotFoundException
                or UnauthorizedAccessException or System.Text.Json.JsonException or InvalidDataException or PathTooLongException:
                code = ExitCodes.Usage; message = e.Message; break;
            case OutOfMemoryException or InsufficientExecutionStackException:
                code = ExitCodes.Failed;
                message = $"{e.GetType().Name}: the work needed more memory than this machine has ({Limits.Size(Limits.AvailableBytes)}); ask for less (see docs/limits.md).";
                break;
            case IOException:
                code = ExitCodes.Failed; message = $"{e.GetType().Name}: {OneLine(e.Message)}"; break;
            default:
                code = ExitCodes.Failed; message = $"unexpected {e.GetType().Name}: {OneLine(e.Message)}"; break;
        }
        bool hint = !verbose && code == ExitCodes.Failed && e is not OperationCanceledException;
        Console.Error.WriteLine($"workbench: {message}{(hint ? " (rerun with --verbose for the stack trace)" : "")}");
        if (verbose) Console.Error.WriteLine(e.ToString());
        return code;
    }

    private static string OneLine(string s) => string.Join(" ", s.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static Exception Unwrap(Exception ex) =>
        ex is TargetInvocationException { InnerException: { } inner } ? Unwrap(inner) :
        ex is AggregateException agg && agg.Flatten().InnerExceptions.Count > 0 ? Unwrap(agg.Flatten().InnerExceptions[0]) : ex;
}
