using System.Text;

namespace Workbench.Notebooks.Engine;

/// <summary>
/// Per-flow console capture. Installed once per process, it replaces Console.Out and
/// Console.Error with writers that send text to the capture target of the current async flow
/// (an AsyncLocal), or to the original console when there is none. Notebook sessions and tests
/// running in parallel each capture their own output without racing on Console.SetOut.
/// </summary>
public static class ConsoleRouter
{
    private static readonly AsyncLocal<TextWriter?> OutTarget = new(), ErrTarget = new();
    private static readonly object Gate = new();
    private static bool _installed;

    /// <summary>Installs the routing writers (idempotent).</summary>
    public static void Install()
    {
        lock (Gate)
        {
            if (_installed) return;
            Console.SetOut(new RoutingWriter(Console.Out, () => OutTarget.Value));
            Console.SetError(new RoutingWriter(Console.Error, () => ErrTarget.Value));
            _installed = true;
        }
    }

    /// <summary>Routes this flow's console output to the given writers until disposed.</summary>
    public static IDisposable Capture(TextWriter output, TextWriter error)
    {
        Install();
        var previous = (OutTarget.Value, ErrTarget.Value);
        OutTarget.Value = output; ErrTarget.Value = error;
        return new Restore(previous);
    }

    private sealed class Restore((TextWriter? Out, TextWriter? Err) previous) : IDisposable
    {
        public void Dispose() { OutTarget.Value = previous.Out; ErrTarget.Value = previous.Err; }
    }

    private sealed class RoutingWriter(TextWriter fallback, Func<TextWriter?> target) : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;
        private TextWriter Current => target() ?? fallback;
        public override void Write(char value) { var w = Current; lock (w) w.Write(value); }
        public override void Write(string? value) { var w = Current; lock (w) w.Write(value); }
        public override void Write(char[] buffer, int index, int count) { var w = Current; lock (w) w.Write(buffer, index, count); }
        public override void WriteLine(string? value) { var w = Current; lock (w) { w.Write(value); w.Write('\n'); } }
        public override void WriteLine() { var w = Current; lock (w) w.Write('\n'); }
        public override void Flush() => Current.Flush();
    }
}
