/// Methods stay short enough to read at once: no method, constructor, accessor block or expression-bodied member of
/// lib/**/*.cs is longer than 100 lines (shared/DESIGN.md, conventions), except the few on a named, documented allow-list.
module Workbench.Tests.Architecture.MethodLengthTests

open System
open System.IO
open System.Text
open Expecto
open Workbench.Cli.Tests

/// The most lines a member may take, from its opening brace to its closing brace (or from "=>" to ";"), both included.
let limit = 100

/// C# source with comments, preprocessor lines, and string and character literals (interpolation holes included) blanked
/// to spaces; newlines are kept, so positions and line numbers are those of the source.
let blank (src: string) : char[] =
    let out = src.ToCharArray()
    let n = src.Length
    let clear a b = for k in a .. (min b n) - 1 do if out.[k] <> '\n' then out.[k] <- ' '
    let atLineStart i =
        let mutable k = i - 1
        while k >= 0 && (src.[k] = ' ' || src.[k] = '\t') do k <- k - 1
        k < 0 || src.[k] = '\n'
    /// Scans code from i; with hole = true, stops at the '}' that closes an interpolation hole and returns its index.
    let rec code (start: int) (hole: bool) : int =
        let mutable i = start
        let mutable depth = 0
        let mutable fin = -1
        while fin < 0 && i < n do
            let c = src.[i]
            let next = if i + 1 < n then src.[i + 1] else '\000'
            if c = '/' && next = '/' then
                let e = match src.IndexOf('\n', i) with -1 -> n | e -> e
                clear i e; i <- e
            elif c = '/' && next = '*' then
                let e = match src.IndexOf("*/", i + 2, StringComparison.Ordinal) with -1 -> n | e -> e + 2
                clear i e; i <- e
            elif c = '#' && not hole && atLineStart i then
                let e = match src.IndexOf('\n', i) with -1 -> n | e -> e
                clear i e; i <- e
            elif c = '"' || ((c = '$' || c = '@') && (let mutable k = i in (while k < n && (src.[k] = '$' || src.[k] = '@') do k <- k + 1); k < n && src.[k] = '"')) then
                let e = literal i
                clear i e; i <- e
            elif c = '\'' then
                let e = if next = '\\' then (match src.IndexOf('\'', i + 3) with -1 -> n | e -> e + 1) else i + 3
                clear i e; i <- e
            elif hole && c = '{' then depth <- depth + 1; i <- i + 1
            elif hole && c = '}' then
                if depth = 0 then fin <- i else depth <- depth - 1; i <- i + 1
            else i <- i + 1
        if fin >= 0 then fin else n
    /// The index just after the string literal (regular, verbatim, interpolated or raw) starting at i.
    and literal (i: int) : int =
        let mutable j = i
        let mutable dollars = 0
        let mutable verbatim = false
        while src.[j] = '$' || src.[j] = '@' do
            (if src.[j] = '$' then dollars <- dollars + 1 else verbatim <- true)
            j <- j + 1
        let mutable q = 0
        while j + q < n && src.[j + q] = '"' do q <- q + 1
        if q >= 3 then
            match src.IndexOf(String('"', q), j + q, StringComparison.Ordinal) with -1 -> n | e -> e + q
        elif q = 2 then j + 2
        else
            let mutable k = j + 1
            let mutable fin = -1
            while fin < 0 && k < n do
                let c = src.[k]
                if c = '\\' && not verbatim then k <- k + 2
                elif c = '"' then
                    if verbatim && k + 1 < n && src.[k + 1] = '"' then k <- k + 2 else fin <- k + 1
                elif dollars > 0 && c = '{' then
                    if k + 1 < n && src.[k + 1] = '{' then k <- k + 2 else k <- code (k + 1) true + 1
                else k <- k + 1
            if fin >= 0 then fin else n
    code 0 false |> ignore
    out

/// A member with a body: the type it is declared in, its name, the line it starts on and its length in lines.
type Member = { Type: string; Name: string; Line: int; Lines: int }

let private isIdent (c: char) = Char.IsLetterOrDigit c || c = '_'

/// The header with attribute lists ([...]) and everything inside parentheses removed, and whether a '=' (an initializer)
/// or '=>' (an expression body) stands outside them.
let private outline (header: string) =
    let sb = StringBuilder()
    let mutable paren, bracket = 0, 0
    for c in header do
        match c with
        | '[' -> bracket <- bracket + 1
        | ']' -> bracket <- bracket - 1
        | '(' when bracket = 0 -> (if paren = 0 then sb.Append('(') |> ignore); paren <- paren + 1
        | ')' when bracket = 0 -> paren <- paren - 1
        | c when bracket = 0 && paren = 0 -> sb.Append c |> ignore
        | _ -> ()
    sb.ToString()

let private words (s: string) =
    s.Split([| ' '; '\t'; '\r'; '\n'; ':'; ','; '<'; '>'; ';'; '?'; '*' |], StringSplitOptions.RemoveEmptyEntries)

/// Whether the outline (see above) declares a namespace or type, and its name.
let private typeName (o: string) =
    let beforeParen = match o.IndexOf '(' with -1 -> o | p -> o.[.. p - 1]
    let ws = words beforeParen
    let keyword w = w = "class" || w = "struct" || w = "interface" || w = "enum" || w = "record" || w = "namespace"
    match ws |> Array.tryFindIndex keyword with
    | Some k -> Some (ws |> Array.skip k |> Array.tryFind (keyword >> not) |> Option.defaultValue "?")
    | None -> None

/// Words that stand before a parenthesis without naming a member (a tuple return type follows a modifier).
let private modifiers =
    set [ "public"; "private"; "internal"; "protected"; "static"; "readonly"; "async"; "override"; "virtual"; "abstract"; "sealed"
          "new"; "extern"; "unsafe"; "partial"; "ref"; "implicit"; "explicit"; "required"; "file"; "scoped" ]

/// The identifier just before position p (skipping a generic argument list "<...>"), or "".
let private identBefore (o: string) (p: int) =
    let mutable e = p - 1
    while e >= 0 && Char.IsWhiteSpace o.[e] do e <- e - 1
    if e >= 0 && o.[e] = '>' then
        let mutable d = 0
        let mutable k = e
        while k >= 0 && not (d = 1 && o.[k] = '<') do
            (if o.[k] = '>' then d <- d + 1 elif o.[k] = '<' then d <- d - 1)
            k <- k - 1
        e <- k - 1
        while e >= 0 && Char.IsWhiteSpace o.[e] do e <- e - 1
    let mutable s = e
    while s >= 0 && isIdent o.[s] do s <- s - 1
    if e > s then o.[s + 1 .. e] else ""

/// A member's name: the identifier before its parameter list (the first parenthesis after a name that is not a
/// modifier: a tuple return type comes before it), else (a property, indexer, event or operator) its last word.
let private memberName (o: string) =
    let o = (match o.IndexOf("=>", StringComparison.Ordinal) with -1 -> o | p -> o.[.. p - 1]).TrimEnd()
    let lastWord (t: string) = words t |> Array.tryLast |> Option.defaultValue "?"
    let parens = [ for k in 0 .. o.Length - 1 do if o.[k] = '(' then yield k ]
    match parens |> List.tryFind (fun p -> let w = identBefore o p in w <> "" && not (modifiers.Contains w)) with
    | Some p -> identBefore o p
    | None ->
        match parens with
        | p :: _ when words o |> Array.contains "operator" -> lastWord o.[.. p - 1]
        | _ -> lastWord (o.Replace('(', ' ')) // a property whose type has a tuple: IReadOnlyList<(int, int)> Pairs

/// Whether the header has closed every parenthesis and bracket it opened (a '=' inside is a default value or an attribute's).
let private balanced (h: string) =
    let count ch = h |> Seq.filter ((=) ch) |> Seq.length
    count '(' = count ')' && count '[' = count ']'

/// Every member with a body in a C# source: methods, constructors, operators, accessor blocks of properties, indexers and
/// events, and expression-bodied members. Local functions and lambdas count toward the member they are in.
let members (src: string) : Member list =
    let code = blank src
    let lineOf = Array.zeroCreate (code.Length + 1)
    let mutable line = 1
    for k in 0 .. code.Length - 1 do
        lineOf.[k] <- line
        if code.[k] = '\n' then line <- line + 1
    lineOf.[code.Length] <- line
    let found = ResizeArray<Member>()
    let types = Collections.Generic.Stack<string>() // the containers (namespaces, types) the scan is in
    let header = StringBuilder()
    let mutable i = 0
    // In a member body: the brace depth, where it opened and its name.
    let mutable bodyDepth, bodyOpen, bodyName = 0, 0, ""
    // In an initializer or expression body at container level: the brace depth, and where "=>" stood (-1 for an initializer).
    let mutable exprDepth, arrow = 0, -1
    let mutable inExpr = false
    let reset () = header.Clear() |> ignore; inExpr <- false; exprDepth <- 0; arrow <- -1
    let typeNow () = String.Join(".", types |> Seq.rev |> Seq.filter (fun t -> not (t.Contains '.')))
    while i < code.Length do
        let c = code.[i]
        if bodyDepth > 0 then
            if c = '{' then bodyDepth <- bodyDepth + 1
            elif c = '}' then
                bodyDepth <- bodyDepth - 1
                if bodyDepth = 0 then
                    found.Add { Type = typeNow (); Name = bodyName; Line = lineOf.[bodyOpen]; Lines = lineOf.[i] - lineOf.[bodyOpen] + 1 }
                    reset ()
        elif inExpr then
            if c = '{' || c = '(' || c = '[' then exprDepth <- exprDepth + 1
            elif (c = '}' || c = ')' || c = ']') && exprDepth > 0 then exprDepth <- exprDepth - 1
            elif c = '}' then (if types.Count > 0 then types.Pop() |> ignore); reset () // the end of an enum whose last member has a value
            elif c = ';' && exprDepth = 0 then
                if arrow >= 0 then
                    found.Add { Type = typeNow (); Name = memberName (outline (header.ToString())); Line = lineOf.[arrow]; Lines = lineOf.[i] - lineOf.[arrow] + 1 }
                reset ()
        else
            match c with
            | '{' ->
                let o = outline (header.ToString())
                match typeName o with
                | Some name -> types.Push name; reset ()
                | None -> bodyDepth <- 1; bodyOpen <- i; bodyName <- memberName o
            | '}' -> (if types.Count > 0 then types.Pop() |> ignore); reset ()
            | ';' -> reset ()
            | '=' when i + 1 < code.Length && code.[i + 1] = '>' && balanced (header.ToString()) ->
                // "=>" outside parentheses and brackets: an expression body.
                inExpr <- true; arrow <- i
            | '=' when balanced (header.ToString()) && not (i + 1 < code.Length && code.[i + 1] = '=') && not (i > 0 && "=!<>".Contains code.[i - 1]) ->
                // A lone '=' outside parentheses and brackets: an initializer (a field's, a property's after its accessors,
                // an enum member's value): data, not a body.
                inExpr <- true; arrow <- -1
            | c -> header.Append c |> ignore
        i <- i + 1
    List.ofSeq found

/// Members allowed over the limit, as "path: Type.Member" (every overload of that name), each with the reason.
let allowed : (string * string) list = []

let private libraryMembers () =
    let lib = Path.Combine(Cli.repoRoot, "lib")
    Directory.GetFiles(lib, "*.cs", SearchOption.AllDirectories)
    |> Array.filter (fun f -> not (f.Contains $"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}" || f.Contains $"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
    |> Array.sort
    |> Array.collect (fun f ->
        let rel = Path.GetRelativePath(Cli.repoRoot, f).Replace('\\', '/')
        members (File.ReadAllText f) |> List.map (fun m -> $"{rel}: {m.Type}.{m.Name}", m) |> Array.ofList)

[<Tests>]
let tests =
    testList "Architecture.MethodLength" [
        test "the scan skips braces in strings, comments and characters and measures bodies and expression bodies" {
            let src =
                String.Join("\n", [
                    "namespace N;"
                    "/// <summary>A { brace in a comment.</summary>"
                    "public sealed class A"
                    "{"
                    "    private static readonly int[] Data = new int[] { 1, 2 };"
                    "    public int P { get; init; } = 3;"
                    "    public enum E { X = 1, Y }"
                    "    private static (int A, int B) T(int x) => (x, x);"
                    "    public int Q => P"
                    "        + 1;"
                    "    public void M<T>(int x = 0) where T : class"
                    "    {"
                    "        var s = $\"{{ {x} }} {(x > 0 ? \"}\" : \"{\")}\"; // }"
                    "        var r = @\"}\"\"\"; var c = '}'; var d = '\\''; /* } */"
                    "        var raw = \"\"\"} \" }\"\"\";"
                    "        if (x > 0) { x++; }"
                    "    }"
                    "#pragma warning disable CA1000 // {"
                    "    private sealed record R(int A)"
                    "    {"
                    "        public static bool operator ==(R a, int b) => a.A == b;"
                    "    }"
                    "    public IReadOnlyList<(int A, int B)> Pairs { get; } = [];"
                    "}" ])
            let found = members src |> List.map (fun m -> m.Type, m.Name, m.Line, m.Lines)
            Expect.equal found [ "A", "P", 6, 1; "A", "T", 8, 1; "A", "Q", 9, 2; "A", "M", 12, 6; "A.R", "==", 21, 1; "A", "Pairs", 23, 1 ] "P's accessors, T, Q (two lines), M (six), the operator and Pairs, nothing else"
        }
        test "a planted long method is found and measured" {
            let body = String.Join("\n", Array.replicate 150 "        x++;")
            let src = $"class B\n{{\n    void Long(int x)\n    {{\n{body}\n    }}\n    void Short() {{ }}\n}}"
            let found = members src |> List.map (fun m -> m.Name, m.Lines)
            Expect.equal found [ "Long", 152; "Short", 1 ] "Long: 150 lines and its braces"
        }
        test $"no method of lib/**/*.cs is longer than {limit} lines, except the allow-listed ones" {
            let all = libraryMembers ()
            Expect.isGreaterThan all.Length 2000 "the library's members are read"
            let sanity = all |> Array.tryFind (fun (k, _) -> k = "lib/Workbench.Cli/Commands/ReferenceCommand.cs: ReferenceCommand.Build")
            Expect.isSome sanity "sanity: ReferenceCommand.Build is found"
            let longest = all |> Array.sortByDescending (fun (_, m) -> m.Lines) |> Array.truncate 15
            let table = String.Join("\n", longest |> Array.map (fun (k, m) -> $"  {m.Lines,4} lines  {k} (line {m.Line})"))
            let allowedKeys = allowed |> List.map fst |> Set.ofList
            let over = all |> Array.filter (fun (k, m) -> m.Lines > limit && not (allowedKeys.Contains k)) |> Array.map (fun (k, m) -> $"{k} (line {m.Line}): {m.Lines} lines")
            let overText = String.Join("\n  ", over)
            Expect.isEmpty over $"members over {limit} lines:\n  {overText}\n (split them into well-named private helpers, or add them to MethodLengthTests.allowed with the reason); the longest:\n{table}\n"
            let stale =
                allowed |> List.map fst |> List.filter (fun k -> not (all |> Array.exists (fun (k2, m) -> k2 = k && m.Lines > limit)))
            Expect.isEmpty stale $"allow-listed members that no longer exist or are now at most {limit} lines (remove them from MethodLengthTests.allowed); the longest:\n{table}\n"
        }
    ]
