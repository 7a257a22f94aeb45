using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Workbench.Notebooks.Engine;

/// <summary>
/// Makes cells interruptible: a Roslyn syntax rewriter that puts a cancellation check at the start
/// of every loop body (while, do, for, foreach) written in the cell. The check is inserted on the line
/// of the loop's first statement, so line numbers in error messages stay those of the cell.
/// Cancellation (timeout, interrupt) then stops <c>while (true) { }</c> with an
/// <see cref="OperationCanceledException"/> at the next iteration. Code that never reaches such a check
/// (recursion, a long call into a library, a blocking wait) is not stopped by it: the session abandons
/// such a cell after its grace period (<see cref="CellResult.StillRunning"/>), and the worker process
/// that runs it (<see cref="WorkerHost"/>) then exits, which is what really stops it.
/// </summary>
internal sealed class LoopGuard : CSharpSyntaxRewriter
{
    /// <summary>The global the check reads (a property of <see cref="ScriptGlobals"/>).</summary>
    public const string TokenName = "__WorkbenchCancellation";

    private static readonly StatementSyntax Check =
        SyntaxFactory.ParseStatement($"{TokenName}.ThrowIfCancellationRequested();").WithTrailingTrivia(SyntaxFactory.Space);

    public static string Rewrite(string code)
    {
        var tree = CSharpSyntaxTree.ParseText(code, CSharpParseOptions.Default.WithKind(SourceCodeKind.Script).WithLanguageVersion(LanguageVersion.Latest));
        var root = tree.GetRoot();
        if (!root.DescendantNodes().Any(n => n is WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax or CommonForEachStatementSyntax)) return code;
        return new LoopGuard().Visit(root).ToFullString();
    }

    private static StatementSyntax Guard(StatementSyntax body)
    {
        if (body is BlockSyntax block)
            return block.WithStatements(block.Statements.Insert(0, Check.WithLeadingTrivia(SyntaxFactory.Space)));
        // A single-statement body becomes a block on the same line.
        return SyntaxFactory.Block(Check, body.WithoutLeadingTrivia()).WithLeadingTrivia(body.GetLeadingTrivia()).WithTrailingTrivia(body.GetTrailingTrivia());
    }

    public override SyntaxNode? VisitWhileStatement(WhileStatementSyntax node) => base.VisitWhileStatement(node.WithStatement(Guard(node.Statement)));
    public override SyntaxNode? VisitDoStatement(DoStatementSyntax node) => base.VisitDoStatement(node.WithStatement(Guard(node.Statement)));
    public override SyntaxNode? VisitForStatement(ForStatementSyntax node) => base.VisitForStatement(node.WithStatement(Guard(node.Statement)));
    public override SyntaxNode? VisitForEachStatement(ForEachStatementSyntax node) => base.VisitForEachStatement(node.WithStatement(Guard(node.Statement)));
    public override SyntaxNode? VisitForEachVariableStatement(ForEachVariableStatementSyntax node) => base.VisitForEachVariableStatement(node.WithStatement(Guard(node.Statement)));
}
