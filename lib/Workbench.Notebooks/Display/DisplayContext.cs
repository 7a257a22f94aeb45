namespace Workbench.Notebooks.Display;

/// <summary>
/// Where <c>display(x)</c>, <c>x.Display()</c> and <see cref="DisplayHandle.Update"/> send values: the outputs of the
/// cell that is running. Display defines this contract and the engine implements it (the engine's session enters a
/// sink for the duration of each cell), so the Display namespace never depends on the engine.
/// </summary>
public interface IDisplaySink
{
    /// <summary>A display id unique within the session (for <c>update_display_data</c>).</summary>
    string NextDisplayId();

    /// <summary>Adds the value, formatted as a MIME bundle, to the running cell's outputs; <paramref name="update"/> replaces the output of that id.</summary>
    void Display(object? value, string displayId, bool update);
}

/// <summary>The display sink of the current async flow: set by whoever runs a cell, read by <see cref="DisplayExtensions"/>.</summary>
public static class DisplayContext
{
    private static readonly AsyncLocal<IDisplaySink?> CurrentSink = new();

    /// <summary>The sink of the cell running on this async flow, or null outside a cell (display is then a no-op).</summary>
    public static IDisplaySink? Current => CurrentSink.Value;

    /// <summary>Makes <paramref name="sink"/> the current sink of this async flow (and the tasks it starts) until disposed.</summary>
    public static IDisposable Enter(IDisplaySink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var previous = CurrentSink.Value;
        CurrentSink.Value = sink;
        return new Restore(previous);
    }

    private sealed class Restore(IDisplaySink? previous) : IDisposable
    {
        public void Dispose() => CurrentSink.Value = previous;
    }
}
