package org.mlregistry.examples.spring;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Stands for the application's own controllers, which keep serving beside the registry. */
@RestController
public class HelloController {

    @GetMapping("/hello")
    String hello() {
        return "hello from the application";
    }
}
