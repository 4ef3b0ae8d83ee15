package io.revenant.dev;

import java.lang.classfile.Attributes;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.FieldModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.reflect.AccessFlag;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What other classes can see of a compiled class: its type, supertypes, and every non-private
 * field and method with its descriptor, generic signature and (for a constant) its value, which
 * javac copies into callers. Method bodies and private members are left out, lambdas with them.
 *
 * <p>The dev loop compiles only the changed files against the previous build; that is safe while
 * what they offer the rest of the code stays the same. When this fingerprint of one of them
 * changes (a new parameter, a renamed method, another constant), the callers compiled against the
 * old one may be stale, and the loop compiles everything instead.
 */
final class ApiFingerprint {

    private ApiFingerprint() {
    }

    static String of(byte[] classFile) {
        ClassModel model = ClassFile.of().parse(classFile);
        List<String> parts = new ArrayList<>();
        parts.add("class " + model.flags().flagsMask() + " " + model.thisClass().asInternalName()
                  + " extends " + model.superclass().map(ClassEntry::asInternalName).orElse("")
                  + " implements " + model.interfaces().stream().map(ClassEntry::asInternalName).sorted()
                          .collect(Collectors.joining(",")));
        model.findAttribute(Attributes.signature()).ifPresent(s -> parts.add("signature " + s.signature().stringValue()));
        model.findAttribute(Attributes.permittedSubclasses()).ifPresent(p -> parts.add("permits " + p.permittedSubclasses()
                .stream().map(ClassEntry::asInternalName).sorted().collect(Collectors.joining(","))));
        model.findAttribute(Attributes.record()).ifPresent(r -> parts.add("record " + r.components().stream()
                .map(c -> c.name().stringValue() + ":" + c.descriptor().stringValue()).collect(Collectors.joining(","))));
        List<String> members = new ArrayList<>();
        for (FieldModel field : model.fields()) {
            if (!field.flags().has(AccessFlag.PRIVATE)) {
                members.add("field " + field.flags().flagsMask() + " " + field.fieldName().stringValue() + " "
                            + field.fieldType().stringValue()
                            + field.findAttribute(Attributes.signature()).map(s -> " " + s.signature().stringValue()).orElse("")
                            + field.findAttribute(Attributes.constantValue())
                                    .map(c -> " = " + c.constant().constantValue()).orElse(""));
            }
        }
        for (MethodModel method : model.methods()) {
            if (!method.flags().has(AccessFlag.PRIVATE)) {
                members.add("method " + method.flags().flagsMask() + " " + method.methodName().stringValue()
                            + method.methodType().stringValue()
                            + method.findAttribute(Attributes.signature()).map(s -> " " + s.signature().stringValue()).orElse(""));
            }
        }
        members.sort(null);
        parts.addAll(members);
        return String.join("\n", parts);
    }
}
