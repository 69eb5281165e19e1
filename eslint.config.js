// Lint, run by `npm test` before vitest: typescript-eslint's type-aware recommended rules over the
// Worker, the tests, the scripts and the bench. Every promise must be awaited or handed on
// (`ctx.waitUntil`, a returned chain): in a Worker a floating promise is work the runtime may cancel
// and an error nobody sees.
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", ".wrangler/", ".vitest/", ".bench/", "dist/", "console/vendor/", "worker-configuration.d.ts"] },
  js.configs.recommended,
  {
    files: ["**/*.ts"],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true }],
      // Values cross trust boundaries through zod, and tests read response bodies as untyped JSON on
      // purpose (the assertion is the check): the `any`-tracking rules would only add casts.
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      // Interface implementations (Carrier, push formats, RPC methods) are async by contract even when
      // one of them has nothing to wait for.
      "@typescript-eslint/require-await": "off",
      // Carrier kinds and push formats are plain tables of functions declared with method syntax.
      "@typescript-eslint/unbound-method": "off",
      // Vitest's chained assertions and `(a(), b())` statement bodies are idioms here.
      "@typescript-eslint/no-unused-expressions": "off",
      // Values are stringified after zod has narrowed them; request bodies in test fakes are strings.
      "@typescript-eslint/no-base-to-string": "off",
      // Style only; not worth the churn across files others are restructuring.
      "@typescript-eslint/no-unnecessary-type-assertion": "off",
      "@typescript-eslint/no-redundant-type-constituents": "off",
      // Control characters are matched on purpose (they are refused in customer references).
      "no-control-regex": "off",
    },
  },
  {
    // Response bodies are untyped JSON in tests: `any` is the honest type there.
    files: ["test/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    files: ["**/*.{js,mjs}"],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ["console/**/*.js"],
    languageOptions: { globals: { ...globals.browser } },
  },
);
