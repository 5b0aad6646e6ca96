using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace ProductSearch.Infra.Tests.Arm;

/// <summary>
/// Evaluates the part of the ARM expression language that compiled Bicep uses for names,
/// settings and role ids: literals, parameters(), variables(), format(), concat(), string(),
/// length(), copyIndex(), resourceId() and subscriptionResourceId(), property access and
/// indexing. Anything else (reference(), listKeys(), uniqueString()...) stays opaque, with
/// its arguments evaluated so that the text still shows what it points at.
/// </summary>
internal static class ArmExpression
{
    public static ArmValue Evaluate(JsonNode? node, TemplateScope scope, int? copyIndex = null)
    {
        // Arrays and objects are evaluated leaf by leaf here, in the scope that wrote them,
        // because a parameter value travels into a module whose scope would misread it.
        if (node is JsonArray array)
        {
            return new KnownValue(new JsonArray([.. array.Select(item => ToNode(Evaluate(item, scope, copyIndex)))]));
        }

        if (node is JsonObject obj)
        {
            var evaluated = new JsonObject();
            foreach (var (key, item) in obj)
            {
                evaluated[key] = ToNode(Evaluate(item, scope, copyIndex));
            }

            return new KnownValue(evaluated);
        }

        if (node is JsonValue value && value.TryGetValue(out string? text))
        {
            if (text.StartsWith("[[", StringComparison.Ordinal))
            {
                return new KnownValue(JsonValue.Create(text[1..]));
            }

            if (text.StartsWith('[') && text.EndsWith(']'))
            {
                var expression = new Parser(text[1..^1]).ParseWhole();
                return new Evaluator(scope, copyIndex).Evaluate(expression);
            }
        }

        return new KnownValue(node?.DeepClone());
    }

    private static JsonNode? ToNode(ArmValue value) => value switch
    {
        KnownValue known => known.Node?.DeepClone(),
        _ => JsonValue.Create(value.Text),
    };

    private abstract record Syntax;

    private sealed record Literal(JsonNode? Value) : Syntax;

    private sealed record Call(string Name, IReadOnlyList<Syntax> Arguments) : Syntax;

    private sealed record Member(Syntax Target, string Name) : Syntax;

    private sealed record Index(Syntax Target, Syntax Key) : Syntax;

    private sealed class Parser(string text)
    {
        private int _position;

        public Syntax ParseWhole()
        {
            var syntax = ParseExpression();
            SkipSpace();
            if (_position != text.Length)
            {
                throw Error("end of expression");
            }

            return syntax;
        }

        private Syntax ParseExpression()
        {
            var syntax = ParsePrimary();
            while (true)
            {
                SkipSpace();
                if (TryConsume('.'))
                {
                    syntax = new Member(syntax, ParseIdentifier());
                }
                else if (TryConsume('['))
                {
                    var key = ParseExpression();
                    Expect(']');
                    syntax = new Index(syntax, key);
                }
                else
                {
                    return syntax;
                }
            }
        }

        private Syntax ParsePrimary()
        {
            SkipSpace();
            if (_position >= text.Length)
            {
                throw Error("a value");
            }

            var next = text[_position];
            if (next == '\'')
            {
                return new Literal(JsonValue.Create(ParseString()));
            }

            if (char.IsAsciiDigit(next) || next == '-')
            {
                var start = _position++;
                while (_position < text.Length && char.IsAsciiDigit(text[_position]))
                {
                    _position++;
                }

                return new Literal(JsonValue.Create(long.Parse(text[start.._position], CultureInfo.InvariantCulture)));
            }

            var name = ParseIdentifier();
            Expect('(');
            var arguments = new List<Syntax>();
            SkipSpace();
            if (!TryConsume(')'))
            {
                do
                {
                    arguments.Add(ParseExpression());
                    SkipSpace();
                }
                while (TryConsume(','));
                Expect(')');
            }

            return new Call(name, arguments);
        }

        private string ParseString()
        {
            var builder = new StringBuilder();
            _position++;
            while (true)
            {
                if (_position >= text.Length)
                {
                    throw Error("closing quote");
                }

                var character = text[_position++];
                if (character == '\'')
                {
                    // '' is an escaped quote inside a string literal.
                    if (_position < text.Length && text[_position] == '\'')
                    {
                        builder.Append('\'');
                        _position++;
                        continue;
                    }

                    return builder.ToString();
                }

                builder.Append(character);
            }
        }

        private string ParseIdentifier()
        {
            SkipSpace();
            var start = _position;
            while (_position < text.Length && (char.IsAsciiLetterOrDigit(text[_position]) || text[_position] == '_'))
            {
                _position++;
            }

            return _position > start ? text[start.._position] : throw Error("an identifier");
        }

        private void Expect(char expected)
        {
            SkipSpace();
            if (!TryConsume(expected))
            {
                throw Error($"'{expected}'");
            }
        }

        private bool TryConsume(char expected)
        {
            if (_position < text.Length && text[_position] == expected)
            {
                _position++;
                return true;
            }

            return false;
        }

        private void SkipSpace()
        {
            while (_position < text.Length && char.IsWhiteSpace(text[_position]))
            {
                _position++;
            }
        }

        private FormatException Error(string expected) =>
            new($"Expected {expected} at {_position} in [{text}].");
    }

    private sealed class Evaluator(TemplateScope scope, int? copyIndex)
    {
        public ArmValue Evaluate(Syntax syntax) => syntax switch
        {
            Literal literal => new KnownValue(literal.Value),
            Call call => EvaluateCall(call),
            Member member => EvaluateMember(member),
            Index index => EvaluateIndex(index),
            _ => throw new InvalidOperationException(syntax.GetType().Name),
        };

        private ArmValue EvaluateCall(Call call)
        {
            var arguments = call.Arguments.Select(Evaluate).ToList();
            return call.Name.ToLowerInvariant() switch
            {
                "parameters" when arguments[0].AsString is { } name => Parameter(name),
                "variables" when arguments[0].AsString is { } name => Variable(name),
                "format" when arguments[0].AsString is { } format => Known(string.Format(
                    CultureInfo.InvariantCulture, format, arguments.Skip(1).Select(argument => (object)argument.Text).ToArray())),
                "concat" when arguments.All(argument => argument is KnownValue { Node: JsonArray }) => ConcatArrays(arguments),
                "concat" or "string" => Known(string.Concat(arguments.Select(argument => argument.Text))),
                "length" when arguments[0] is KnownValue { Node: JsonArray array } => new KnownValue(JsonValue.Create(array.Count)),
                "copyindex" when copyIndex is { } current => new KnownValue(JsonValue.Create(current)),
                "resourceid" when arguments.Count >= 2 && arguments[0].AsString is { } type =>
                    Known("/resourceGroups/<<resourceGroup>>" + ResourcePath(type, arguments.Skip(1))),
                "subscriptionresourceid" when arguments.Count >= 2 && arguments[0].AsString is { } type =>
                    Known("/subscriptions/<<subscription>>" + ResourcePath(type, arguments.Skip(1))),
                "reference" when arguments[0].AsString is { } symbol && SymbolicResource(symbol) is { } resource =>
                    new OpaqueValue($"reference({string.Join(", ", arguments.Skip(1).Prepend(Known(ResourceIdOf(resource))).Select(Render))})"),
                "tolower" when Deploying && arguments[0].AsString is { } text => Known(text.ToLowerInvariant()),
                "take" when Deploying && arguments[0].AsString is { } text && arguments[1] is KnownValue { Node: JsonValue count } =>
                    Known(text[..Math.Min(text.Length, count.GetValue<int>())]),
                "uniquestring" when Deploying => Known(UniqueStringStandIn(arguments)),
                "createobject" when Deploying && arguments.All(argument => argument is KnownValue) => CreateObject(arguments),
                "union" when Deploying && arguments.All(argument => argument is KnownValue { Node: JsonObject }) => Union(arguments),
                "replace" when Deploying && arguments.Select(argument => argument.AsString).ToList() is [{ } text, { } old, { } replacement] =>
                    Known(text.Replace(old, replacement, StringComparison.Ordinal)),
                "split" when Deploying && arguments.Select(argument => argument.AsString).ToList() is [{ } text, { } separator] =>
                    new KnownValue(new JsonArray([.. text.Split(separator).Select(part => (JsonNode)JsonValue.Create(part))])),
                "empty" when Deploying && arguments[0] is KnownValue { Node: var node } => new KnownValue(JsonValue.Create(IsEmpty(node))),
                "createarray" when Deploying && arguments.All(argument => argument is KnownValue) =>
                    new KnownValue(new JsonArray([.. arguments.Select(argument => ((KnownValue)argument).Node?.DeepClone())])),
                "if" when Deploying && arguments[0] is KnownValue { Node: JsonValue condition } && condition.TryGetValue(out bool holds) =>
                    holds ? arguments[1] : arguments[2],
                "true" => new KnownValue(JsonValue.Create(true)),
                "false" => new KnownValue(JsonValue.Create(false)),
                _ => new OpaqueValue($"{call.Name}({string.Join(", ", arguments.Select(Render))})"),
            };
        }

        // Only when main's arguments are given: otherwise these stay opaque, as the other tests expect.
        private bool Deploying => scope.Root.Arguments is not null;

        // Not ARM's hash (its algorithm is not published): the same length and alphabet, deterministic in the arguments.
        private static string UniqueStringStandIn(IEnumerable<ArmValue> arguments)
        {
            const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";
            var hash = System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', arguments.Select(Render))));
            return new string([.. hash.Take(13).Select(b => Alphabet[b % Alphabet.Length])]);
        }

        private static bool IsEmpty(JsonNode? node) => node switch
        {
            null => true,
            JsonArray array => array.Count == 0,
            JsonObject members => members.Count == 0,
            JsonValue value when value.TryGetValue(out string? text) => text.Length == 0,
            _ => false,
        };

        private static KnownValue CreateObject(List<ArmValue> arguments)
        {
            var created = new JsonObject();
            for (var i = 0; i + 1 < arguments.Count; i += 2)
            {
                created[arguments[i].Text] = ((KnownValue)arguments[i + 1]).Node?.DeepClone();
            }

            return new KnownValue(created);
        }

        private static KnownValue Union(IEnumerable<ArmValue> objects)
        {
            var merged = new JsonObject();
            foreach (var (key, item) in objects.SelectMany(value => ((JsonObject)((KnownValue)value).Node!).ToList()))
            {
                merged[key] = item?.DeepClone();
            }

            return new KnownValue(merged);
        }

        private ArmValue EvaluateMember(Member member) => Evaluate(member.Target) switch
        {
            KnownValue { Node: JsonObject node } => new KnownValue(node[member.Name]?.DeepClone()),
            var target => new OpaqueValue($"{ExpressionText(target)}.{member.Name}"),
        };

        private ArmValue EvaluateIndex(Index index)
        {
            var target = Evaluate(index.Target);
            var key = Evaluate(index.Key);
            return (target, key) switch
            {
                (KnownValue { Node: JsonArray array }, KnownValue { Node: JsonValue position }) when position.TryGetValue(out int at) =>
                    new KnownValue(array[at]?.DeepClone()),
                (KnownValue { Node: JsonObject node }, _) when key.AsString is { } name => new KnownValue(node[name]?.DeepClone()),
                _ => new OpaqueValue($"{ExpressionText(target)}[{Render(key)}]"),
            };
        }

        // A value passed in by the parent deployment is an expression in the parent's scope.
        private ArmValue Parameter(string name)
        {
            if (scope.PassedParameters?[name] is JsonObject passed && scope.Parent is not null)
            {
                return ArmExpression.Evaluate(passed["value"], scope.Parent, null);
            }

            if (scope.Parent is null && scope.Arguments is { } deployment)
            {
                if (deployment[name] is { } argument)
                {
                    return new KnownValue(argument.DeepClone());
                }

                if (scope.Parameters[name] is JsonObject rootDeclared && rootDeclared.ContainsKey("defaultValue"))
                {
                    return ArmExpression.Evaluate(rootDeclared["defaultValue"], scope, null);
                }
            }

            // Root parameters are chosen at deployment time; module defaults apply when nothing is passed.
            if (scope.Parent is not null && scope.Parameters[name] is JsonObject declared && declared.ContainsKey("defaultValue"))
            {
                return ArmExpression.Evaluate(declared["defaultValue"], scope, null);
            }

            return new OpaqueValue($"parameters('{name}')");
        }

        private ArmValue Variable(string name) => scope.Variables.ContainsKey(name)
            ? ArmExpression.Evaluate(scope.Variables[name], scope, copyIndex)
            : new OpaqueValue($"variables('{name}')");

        // languageVersion 2.0 templates refer to their own resources by symbolic name.
        private JsonObject? SymbolicResource(string symbol) =>
            scope.Template["resources"] is JsonObject byName ? byName[symbol] as JsonObject : null;

        private string ResourceIdOf(JsonObject resource)
        {
            var type = (string)resource["type"]!;
            var names = ArmExpression.Evaluate(resource["name"], scope).Text.Split('/').Select(name => (ArmValue)Known(name));
            return "/resourceGroups/<<resourceGroup>>" + ResourcePath(type, names);
        }

        private static string ResourcePath(string type, IEnumerable<ArmValue> names)
        {
            var typeSegments = type.Split('/');
            var path = new StringBuilder($"/providers/{typeSegments[0]}");
            foreach (var (segment, name) in typeSegments.Skip(1).Zip(names))
            {
                path.Append('/').Append(segment).Append('/').Append(name.Text);
            }

            return path.ToString();
        }

        private static KnownValue Known(string text) => new(JsonValue.Create(text));

        private static KnownValue ConcatArrays(IEnumerable<ArmValue> arrays)
        {
            var items = arrays.SelectMany(array => ((JsonArray)((KnownValue)array).Node!).Select(item => item?.DeepClone()));
            return new KnownValue(new JsonArray(items.ToArray()));
        }

        private static string Render(ArmValue value) => value switch
        {
            KnownValue when value.AsString is { } text => $"'{text}'",
            KnownValue known => known.Text,
            OpaqueValue opaque => opaque.Expression,
            _ => throw new InvalidOperationException(value.GetType().Name),
        };

        private static string ExpressionText(ArmValue value) => value is OpaqueValue opaque ? opaque.Expression : Render(value);
    }
}
