"""zhiyuan (志愿): volunteer-service campaigns for Chinese cities."""
