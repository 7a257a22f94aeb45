/// Namespace dependencies inside Workbench.Notebooks point one way (docs/notebooks.md):
/// Display ← Engine ← Kernel, and the root namespace (documents, runner, export) on top of Engine and Display.
module Workbench.Notebooks.Tests.ArchitectureTests

open System
open System.Reflection
open System.Reflection.Emit
open Expecto

/// Every opcode by its value, to walk method bodies.
let private opcodes =
    typeof<OpCodes>.GetFields(BindingFlags.Public ||| BindingFlags.Static)
    |> Array.map (fun f -> f.GetValue null :?> OpCode)
    |> Array.map (fun o -> uint16 o.Value, o)
    |> dict

let rec private outermost (t: Type) = if isNull t.DeclaringType then t else outermost t.DeclaringType

/// The types a type refers to: its base, interfaces, fields, signatures, attributes, and the members and types its
/// method bodies use (read from the IL), generic arguments included.
let referencedTypes (t: Type) =
    let found = Collections.Generic.HashSet<Type>()
    let rec add (x: Type) =
        if not (isNull x) then
            let x = if x.HasElementType then x.GetElementType() else x
            if x.IsGenericType && not x.IsGenericTypeDefinition then
                for a in x.GetGenericArguments() do add a
                add (x.GetGenericTypeDefinition())
            elif not x.IsGenericParameter && found.Add x then ()
    add t.BaseType
    for i in t.GetInterfaces() do add i
    let flags = BindingFlags.Public ||| BindingFlags.NonPublic ||| BindingFlags.Instance ||| BindingFlags.Static ||| BindingFlags.DeclaredOnly
    for f in t.GetFields flags do add f.FieldType
    for p in t.GetProperties flags do add p.PropertyType
    let methods : MethodBase seq = Seq.append (t.GetMethods flags |> Seq.cast) (t.GetConstructors flags |> Seq.cast)
    for m in methods do
        match m with :? MethodInfo as mi -> add mi.ReturnType | _ -> ()
        for p in m.GetParameters() do add p.ParameterType
        let body = try m.GetMethodBody() with _ -> null
        if not (isNull body) then
            for l in body.LocalVariables do add l.LocalType
            let il = body.GetILAsByteArray()
            let typeArgs = if t.IsGenericType then t.GetGenericArguments() else null
            let methodArgs = if m.IsGenericMethod then m.GetGenericArguments() else null
            let mutable i = 0
            while i < il.Length do
                let code = if il.[i] = 0xFEuy then (i <- i + 2; 0xFE00us ||| uint16 il.[i - 1]) else (i <- i + 1; uint16 il.[i - 1])
                let op = opcodes.[code]
                let token () = BitConverter.ToInt32(il, i)
                match op.OperandType with
                | OperandType.InlineField | OperandType.InlineMethod | OperandType.InlineTok | OperandType.InlineType ->
                    (try
                        match t.Module.ResolveMember(token (), typeArgs, methodArgs) with
                        | :? Type as r -> add r
                        | :? FieldInfo as f -> add f.DeclaringType; add f.FieldType
                        | :? MethodBase as mb -> add mb.DeclaringType; (match mb with :? MethodInfo as mi -> add mi.ReturnType | _ -> ())
                        | r -> add r.DeclaringType
                     with _ -> ())
                    i <- i + 4
                | OperandType.InlineNone -> ()
                | OperandType.ShortInlineBrTarget | OperandType.ShortInlineI | OperandType.ShortInlineVar -> i <- i + 1
                | OperandType.InlineVar -> i <- i + 2
                | OperandType.InlineI8 | OperandType.InlineR -> i <- i + 8
                | OperandType.InlineSwitch -> i <- i + 4 + 4 * BitConverter.ToInt32(il, i)
                | _ -> i <- i + 4
    found

/// The namespace of Workbench.Notebooks a type belongs to ("" for the root), by its outermost declaring type.
let private area (t: Type) =
    match (outermost t).Namespace with
    | null -> None
    | "Workbench.Notebooks" -> Some "Workbench.Notebooks"
    | ns when ns.StartsWith "Workbench.Notebooks." -> Some ns
    | _ -> None

/// Namespace → the namespaces of the same assembly it uses, with an example of each use.
let dependencies (asm: Assembly) =
    [ for t in asm.GetTypes() do
        match area t with
        | Some from ->
            for r in referencedTypes t do
                if r.Assembly = asm then
                    match area r with
                    | Some target when target <> from -> yield from, target, sprintf "%s uses %s" t.FullName r.FullName
                    | _ -> ()
        | None -> () ]

[<Tests>]
let tests =
    testList "Notebooks.Architecture" [
        test "namespace dependencies inside Workbench.Notebooks point one way: Display ← Engine ← Kernel; the root uses Engine and Display" {
            let deps = dependencies typeof<Workbench.Notebooks.Notebook>.Assembly
            // Each namespace may use only the ones listed for it.
            let allowed =
                dict [ "Workbench.Notebooks.Display", set []
                       "Workbench.Notebooks.Engine", set [ "Workbench.Notebooks.Display" ]
                       "Workbench.Notebooks.Kernel", set [ "Workbench.Notebooks.Engine"; "Workbench.Notebooks.Display" ]
                       "Workbench.Notebooks", set [ "Workbench.Notebooks.Engine"; "Workbench.Notebooks.Display" ] ]
            let bad =
                deps |> List.filter (fun (from, target, _) -> not (allowed.ContainsKey from) || not (allowed.[from].Contains target))
                |> List.map (fun (_, _, why) -> why) |> List.distinct
            Expect.isEmpty bad "uses against the direction"
            Expect.isTrue (deps |> List.exists (fun (f, t, _) -> f = "Workbench.Notebooks.Engine" && t = "Workbench.Notebooks.Display")) "the scan sees Engine using Display (it works)"
        }
        test "the scan finds uses inside method bodies, not only in signatures" {
            // DisplayExtensions.Display reads DisplayContext.Current in its body only.
            let refs = referencedTypes typeof<Workbench.Notebooks.Display.DisplayExtensions>
            Expect.isTrue (refs.Contains typeof<Workbench.Notebooks.Display.DisplayContext>) "DisplayContext found in the IL"
        }
    ]
